using TorchBinding;
using static TorchBinding.torch;
using F = TorchBinding.torch.nn.functional;

namespace TorchBinding.Tests;

public class TensorOpsTests
{
    [Fact]
    public void ArraysRoundTripWithShapeAndType()
    {
        using var scope = NewDisposeScope();
        var values = Enumerable.Range(0, 24).Select(i => (float)i).ToArray();
        var t = tensor(values, 2, 3, 4);
        Assert.Equal(new long[] { 2, 3, 4 }, t.shape);
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(Device.CPU, t.device);
        Assert.Equal(values, t.ToArray<float>());
        Assert.Equal(new byte[] { 1, 0, 255 }, tensor(new byte[] { 1, 0, 255 }).ToArray<byte>());
        Assert.Equal(new long[] { -5, 7 }, tensor(new long[] { -5, 7 }).ToArray<long>());
    }

    [Fact]
    public void ArithmeticBroadcastsLikePyTorch()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var b = tensor(new float[] { 10, 20, 30 }, 1, 3);
        Assert.Equal(new float[] { 11, 22, 33, 14, 25, 36 }, (a + b).ToArray<float>());
        Assert.Equal(new float[] { -9, -18, -27, -6, -15, -24 }, (a - b).ToArray<float>());
        Assert.Equal(new float[] { 2, 4, 6, 8, 10, 12 }, (2 * a).ToArray<float>());
        Assert.Equal(new float[] { 0.5f, 1, 1.5f, 2, 2.5f, 3 }, (a / 2).ToArray<float>());
        Assert.Equal(new float[] { 9, 8, 7, 6, 5, 4 }, (10 - a).ToArray<float>());
        Assert.Equal(new float[] { 1, 4, 9, 16, 25, 36 }, a.pow(2).ToArray<float>());
        Assert.Equal(new float[] { 3, 2, 1, 0, 0, 0 }, (4 - a).clamp(min: 0).ToArray<float>());
        Assert.Equal(new bool[] { false, false, true, true, true, true }, a.gt(2).ToArray<bool>());
        Assert.Equal(new float[] { 1, 2, 3, 0, 0, 0 }, where(a.le(3), a, zeros(2, 3)).ToArray<float>());
    }

    [Fact]
    public void ReductionsOverDimensions()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal(21f, a.sum().ToSingle());
        Assert.Equal(3.5f, a.mean().ToSingle());
        Assert.Equal(new float[] { 5, 7, 9 }, a.sum(0).ToArray<float>());
        Assert.Equal(new float[] { 2, 5 }, a.mean(1).ToArray<float>());
        Assert.Equal(new long[] { 2, 1 }, a.sum(1, keepdim: true).shape);
        Assert.Equal(6f, a.max().ToSingle());
        Assert.Equal(1f, a.min().ToSingle());
        Assert.Equal(new long[] { 2, 2 }, a.argmax(1).ToArray<long>());
        Assert.Equal(new float[] { 3, 6 }, a.amax([1]).ToArray<float>());
    }

    [Fact]
    public void ShapeManipulation()
    {
        using var scope = NewDisposeScope();
        var a = arange(0, 24, dtype: ScalarType.Float32).reshape(2, 3, 4);
        var p = a.permute(2, 0, 1);
        Assert.Equal(new long[] { 4, 2, 3 }, p.shape);
        Assert.Equal(new float[] { 0, 4, 8, 12, 16, 20 }, p.select(0, 0).contiguous().ToArray<float>());
        Assert.Equal(new long[] { 2, 1, 4 }, a.narrow(1, 1, 1).shape);
        Assert.Equal(new float[] { 4, 5, 6, 7, 16, 17, 18, 19 }, a.narrow(1, 1, 1).flatten().ToArray<float>());
        Assert.Equal(new long[] { 4, 3, 4 }, cat([a, a], 0).shape);
        Assert.Equal(new long[] { 2, 2, 3, 4 }, stack([a, a], 0).shape);
        Assert.Equal(new long[] { 2, 3, 6 }, F.pad(a, [1, 1]).shape);
        Assert.Equal(new float[] { 3, 2, 1, 0 }, a.select(0, 0).select(0, 0).flip(0).ToArray<float>());
        var one = ones(2, 3);
        Assert.Equal(new long[] { 1, 2, 3 }, one.unsqueeze(0).shape);
        Assert.Equal(new long[] { 2, 3 }, one.unsqueeze(0).squeeze(0).shape);
        var idx = tensor(new long[] { 2, 0 });
        Assert.Equal(new float[] { 8, 9, 10, 11, 0, 1, 2, 3 }, a.select(0, 0).index_select(0, idx).flatten().ToArray<float>());
    }

    [Fact]
    public void SoftmaxAndLossesHaveKnownValues()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0, (float)Math.Log(3) }, 1, 2);
        TestSupport.AssertClose([0.25, 0.75], F.softmax(logits, 1).to(float64).ToArray<double>(), 1e-6);
        var target = tensor(new long[] { 1 });
        Assert.Equal(-Math.Log(0.75), F.cross_entropy(logits, target).ToDouble(), 5);
        var a = tensor(new float[] { 1, 2, 3 });
        var b = tensor(new float[] { 1, 0, 0 });
        Assert.Equal((0 + 4 + 9) / 3.0, F.mse_loss(a, b).ToDouble(), 5);
    }

    [Fact]
    public void FourierTransformInvertsAndPermutesLikeTheImage()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var x = randn([4, 6, 5], ScalarType.Float64);
        var spectrum = fft.fftn(x);
        var back = real(fft.ifftn(spectrum));
        Assert.True(allclose(x, back, 1e-10, 1e-10));
        // A permutation of the spectrum equals the same permutation of the image (SPEC §2.3).
        var viaSpectrum = real(fft.ifftn(spectrum.permute(1, 0, 2)));
        Assert.True(allclose(x.permute(1, 0, 2), viaSpectrum, 1e-10, 1e-10));
    }

    [Fact]
    public void SeedMakesRandomNumbersReproducible()
    {
        using var scope = NewDisposeScope();
        manual_seed(42);
        var a = rand(5).ToArray<float>();
        manual_seed(42);
        var b = rand(5).ToArray<float>();
        Assert.Equal(a, b);
    }

    [Fact]
    public void NoGradStopsRecording()
    {
        using var scope = NewDisposeScope();
        var x = ones([3], requires_grad: true);
        using (no_grad())
        {
            Assert.False(is_grad_enabled());
            Assert.False((x * 2).requires_grad);
        }
        Assert.True(is_grad_enabled());
        Assert.True((x * 2).requires_grad);
    }

    [Fact]
    public void InterpolationAndPoolingShapes()
    {
        using var scope = NewDisposeScope();
        var x = rand(1, 2, 4, 4, 4);
        Assert.Equal(new long[] { 1, 2, 8, 8, 8 }, F.interpolate(x, [8, 8, 8], "trilinear").shape);
        Assert.Equal(new long[] { 1, 2, 2, 2, 2 }, F.avg_pool3d(x, 2).shape);
        Assert.Equal(new long[] { 1, 2, 1, 1, 1 }, F.adaptive_avg_pool3d(x, [1, 1, 1]).shape);
        var nearest = F.interpolate(x, [8, 8, 8], "nearest");
        Assert.Equal(x.select(2, 0).select(2, 0).select(2, 0).ToArray<float>(), nearest.select(2, 1).select(2, 1).select(2, 1).ToArray<float>());
    }
}
