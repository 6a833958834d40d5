using SasNet.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasNet.Tests.Runtime;

/// <summary>
/// The gradients libtorch computes for the layers of the kit's networks, in float32 on the CPU with the thread counts
/// training uses, against the same computation in float64. This caught oneDNN's wrong AVX-512 convolution gradients on
/// AMD processors (see <see cref="TorchRuntime"/>).
/// </summary>
public class EngineCorrectnessTests
{
    public static TheoryData<string, int> Layers() => new()
    {
        { "conv k3 p1", 1 }, { "conv k3 p1", 2 }, { "conv k3 p1 bias, 4 channels", 1 }, { "conv k3 p1 bias, 4 channels", 2 }, { "conv k2 s2", 2 }, { "conv k4 s2 p1", 2 }, { "conv k1", 2 }, { "conv_transpose k2 s2", 2 },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Float32GradientsMatchFloat64(string layer, int threads)
    {
        int before = get_num_threads();
        set_num_threads(threads);
        try
        {
            using var scope = NewDisposeScope();
            var generator = new Generator(11);
            var (input, weight, run) = Case(layer);
            var x0 = randn(input, generator: generator);
            var w0 = randn(weight, generator: generator);
            var (dx32, dw32) = Gradients(run, x0, w0);
            var (dx64, dw64) = Gradients(run, x0.to(ScalarType.Float64), w0.to(ScalarType.Float64));
            double RelativeError(Tensor a, Tensor b) => ((a.to(ScalarType.Float64) - b).abs().max() / b.abs().max()).item<double>();
            double inputError = RelativeError(dx32, dx64), weightError = RelativeError(dw32, dw64);
            Assert.True(inputError < 1e-4, $"{layer}, {threads} threads: input gradient off by {inputError:E2} of its scale ({TorchRuntime.OneDnnIsaNote})");
            Assert.True(weightError < 1e-4, $"{layer}, {threads} threads: weight gradient off by {weightError:E2} of its scale ({TorchRuntime.OneDnnIsaNote})");
        }
        finally
        {
            set_num_threads(before);
        }
    }

    private static (long[] Input, long[] Weight, Func<Tensor, Tensor, Tensor> Run) Case(string layer) => layer switch
    {
        "conv k3 p1" => ([2, 8, 16, 16, 12], [8, 8, 3, 3, 3], (x, w) => F.conv3d(x, w, padding: [1, 1, 1])),
        "conv k3 p1 bias, 4 channels" => ([2, 4, 16, 16, 16], [4, 4, 3, 3, 3], (x, w) => F.conv3d(x, w, w.sum([1L, 2L, 3L, 4L]), padding: [1, 1, 1])),
        "conv k2 s2" => ([2, 8, 16, 16, 12], [16, 8, 2, 2, 2], (x, w) => F.conv3d(x, w, strides: [2, 2, 2])),
        "conv k4 s2 p1" => ([2, 1, 32, 32, 16], [16, 1, 4, 4, 4], (x, w) => F.conv3d(x, w, strides: [2, 2, 2], padding: [1, 1, 1])),
        "conv k1" => ([2, 8, 16, 16, 12], [2, 8, 1, 1, 1], (x, w) => F.conv3d(x, w)),
        "conv_transpose k2 s2" => ([2, 16, 8, 8, 6], [16, 8, 2, 2, 2], (x, w) => F.conv_transpose3d(x, w, strides: [2, 2, 2])),
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, "unknown layer"),
    };

    // d/dx and d/dw of Σ y² for y = run(x, w).
    private static (Tensor Input, Tensor Weight) Gradients(Func<Tensor, Tensor, Tensor> run, Tensor x0, Tensor w0)
    {
        var x = x0.clone().requires_grad_();
        var w = w0.clone().requires_grad_();
        run(x, w).square().sum().backward();
        return (x.grad!, w.grad!);
    }
}
