using TorchBinding;
using static TorchBinding.torch;
using F = TorchBinding.torch.nn.functional;

namespace TorchBinding.Tests;

/// <summary>Autograd of each layer family against central finite differences, in float64.</summary>
public class GradientTests
{
    private static Tensor Weights(long seed, params long[] shape)
    {
        manual_seed((ulong)seed);
        return randn(shape, ScalarType.Float64);
    }

    [Fact]
    public void Conv3dInputAndWeight()
    {
        using var scope = NewDisposeScope();
        var w = Weights(1, 2, 2, 3, 3, 3);
        var b = Weights(2, 2);
        var x = Weights(3, 1, 2, 4, 3, 3);
        var probe = Weights(4, 1, 2, 4, 3, 3);
        TestSupport.CheckGradient(x, t => (F.conv3d(t, w, b, padding: 1) * probe).sum());
        TestSupport.CheckGradient(w, t => (F.conv3d(x, t, b, padding: 1) * probe).sum());
    }

    [Theory]
    [InlineData(ConvTransposeAlgorithm.Native)]
    [InlineData(ConvTransposeAlgorithm.DepthToSpace)]
    public void ConvTranspose3dInputAndWeight(ConvTransposeAlgorithm algorithm)
    {
        using var scope = NewDisposeScope();
        var w = Weights(5, 3, 2, 2, 2, 2);
        var b = Weights(6, 2);
        var x = Weights(7, 1, 3, 2, 2, 2);
        var probe = Weights(8, 1, 2, 4, 4, 4);
        TestSupport.CheckGradient(x, t => (F.conv_transpose3d(t, w, b, stride: 2, algorithm: algorithm) * probe).sum());
        TestSupport.CheckGradient(w, t => (F.conv_transpose3d(x, t, b, stride: 2, algorithm: algorithm) * probe).sum());
    }

    [Fact]
    public void DepthToSpaceEqualsTransposedConvolutionForwardAndBackward()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var x = randn([2, 8, 3, 4, 5], requires_grad: true);
        var w = randn([8, 4, 2, 2, 2], requires_grad: true);
        var b = randn([4], requires_grad: true);
        var probe = randn(2, 4, 6, 8, 10);

        var native = F.conv_transpose3d(x, w, b, stride: 2, algorithm: ConvTransposeAlgorithm.Native);
        (native * probe).sum().backward();
        var gx = x.grad!.ToArray<float>(); var gw = w.grad!.ToArray<float>(); var gb = b.grad!.ToArray<float>();
        x.clear_grad(); w.clear_grad(); b.clear_grad();

        var fast = F.conv_transpose3d(x, w, b, stride: 2, algorithm: ConvTransposeAlgorithm.DepthToSpace);
        Assert.Equal(native.shape, fast.shape);
        Assert.True(allclose(native, fast, 1e-5, 1e-5));
        (fast * probe).sum().backward();
        TestSupport.AssertClose(gx.Select(v => (double)v).ToArray(), x.grad!.ToArray<float>().Select(v => (double)v).ToArray(), 1e-4);
        TestSupport.AssertClose(gw.Select(v => (double)v).ToArray(), w.grad!.ToArray<float>().Select(v => (double)v).ToArray(), 1e-4);
        TestSupport.AssertClose(gb.Select(v => (double)v).ToArray(), b.grad!.ToArray<float>().Select(v => (double)v).ToArray(), 1e-4);
    }

    [Fact]
    public void BatchNormInTrainingMode()
    {
        using var scope = NewDisposeScope();
        var x = Weights(9, 3, 2, 2, 2, 2);
        var gamma = Weights(10, 2);
        var beta = Weights(11, 2);
        var probe = Weights(12, 3, 2, 2, 2, 2);
        TestSupport.CheckGradient(x, t => (F.batch_norm(t, null, null, gamma, beta, training: true) * probe).sum());
        TestSupport.CheckGradient(gamma, t => (F.batch_norm(x, null, null, t, beta, training: true) * probe).sum());
    }

    [Fact]
    public void SoftmaxCrossEntropyAndMse()
    {
        using var scope = NewDisposeScope();
        var logits = Weights(13, 2, 3, 2, 2, 2);
        var probe = Weights(14, 2, 3, 2, 2, 2);
        var target = tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0 }, 2, 2, 2, 2);
        var goal = Weights(15, 2, 3, 2, 2, 2);
        TestSupport.CheckGradient(logits, t => (F.softmax(t, 1) * probe).sum());
        TestSupport.CheckGradient(logits, t => F.cross_entropy(t, target));
        TestSupport.CheckGradient(logits, t => F.mse_loss(t.tanh(), goal));
    }

    [Fact]
    public void DiceStyleCompositeLoss()
    {
        using var scope = NewDisposeScope();
        var logits = Weights(16, 1, 2, 3, 3, 2);
        var label = Weights(17, 1, 3, 3, 2).gt(0).to(ScalarType.Float64);
        TestSupport.CheckGradient(logits, t =>
        {
            var p = F.softmax(t, 1).select(1, 1);
            var intersection = (p * label).sum();
            return 1 - (2 * intersection + 1e-8) / (p.sum() + label.sum() + 1e-8);
        });
    }
}
