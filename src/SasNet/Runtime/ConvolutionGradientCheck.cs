using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasNet.Runtime;

/// <summary>
/// Checks the float32 gradients libtorch's CPU kernels compute for every convolution shape the kit's networks use
/// (3×3×3 with and without bias, the 2×2×2 stride-2 down-sampling, the 1×1×1 heads, the 2×2×2 stride-2 transposed
/// up-sampling, SASSNet's 4×4×4 discriminator), in C order and in the channels-last order the networks keep their weights
/// and activations in (<see cref="Models.ChannelsLast"/>; oneDNN runs other kernels there), against the same computation
/// in float64. oneDNN picks its kernels by instruction set, and some of them compute wrong gradients on some processors
/// (<see cref="OneDnnIsaRecord"/>), so the kit runs this check once per machine before it lets oneDNN use more than AVX.
/// </summary>
public static class ConvolutionGradientCheck
{
    /// <summary>Largest relative error accepted: float32 accumulation over these sizes stays near 1e-6.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>Changes when the check does (2: the channels-last layouts), so that older records are checked again.</summary>
    public const int Version = 2;

    private const string ChannelsLastSuffix = ", channels-last";

    private static readonly string[] Shapes =
        ["conv k3 p1", "conv k3 p1 bias, 4 channels", "conv k3 p1, 1 channel in", "conv k2 s2", "conv k4 s2 p1", "conv k1", "conv_transpose k2 s2"];

    /// <summary>The convolution shapes checked, each in C order and channels-last (", channels-last").</summary>
    public static IReadOnlyList<string> Layers { get; } = [.. Shapes, .. Shapes.Select(shape => shape + ChannelsLastSuffix)];

    /// <summary>One layer's result: the largest input- and weight-gradient errors relative to the float64 scale.</summary>
    public readonly record struct LayerError(string Layer, int Threads, double InputError, double WeightError)
    {
        /// <summary>Both errors within <see cref="Tolerance"/> (NaN fails).</summary>
        public bool Passed => InputError < Tolerance && WeightError < Tolerance;

        /// <inheritdoc />
        public override string ToString() =>
            $"{Layer}, {Threads} thread(s): input gradient {InputError:E2}, weight gradient {WeightError:E2} of scale{(Passed ? "" : "  WRONG")}";
    }

    /// <summary>
    /// The relative errors of <paramref name="layer"/>'s float32 input and weight gradients (of Σ y²) against float64,
    /// with libtorch running on <paramref name="threads"/> threads. Inputs come from a fixed seed.
    /// </summary>
    public static LayerError Measure(string layer, int threads)
    {
        int before = get_num_threads();
        set_num_threads(threads);
        try
        {
            using var scope = NewDisposeScope();
            var generator = new Generator(11);
            bool channelsLast = layer.EndsWith(ChannelsLastSuffix, StringComparison.Ordinal);
            var (input, weight, run) = Case(channelsLast ? layer[..^ChannelsLastSuffix.Length] : layer);
            var x0 = randn(input, generator: generator);
            var w0 = randn(weight, generator: generator);
            var (dx32, dw32) = channelsLast ? Gradients(run, Models.ChannelsLast.Of(x0), Models.ChannelsLast.Of(w0)) : Gradients(run, x0, w0);
            var (dx64, dw64) = Gradients(run, x0.to(ScalarType.Float64), w0.to(ScalarType.Float64));
            static double RelativeError(Tensor a, Tensor b) => ((a.to(ScalarType.Float64) - b).abs().max() / b.abs().max()).item<double>();
            return new LayerError(layer, threads, RelativeError(dx32, dx64), RelativeError(dw32, dw64));
        }
        finally
        {
            set_num_threads(before);
        }
    }

    /// <summary>
    /// Every layer on 1 and 2 threads, <paramref name="repeats"/> times (wrong kernels have given right answers in
    /// some runs and NaN in others).
    /// </summary>
    public static IReadOnlyList<LayerError> MeasureAll(int repeats = 3)
    {
        var results = new List<LayerError>();
        for (int repeat = 0; repeat < repeats; repeat++)
            foreach (var threads in new[] { 1, 2 })
                foreach (var layer in Layers)
                    results.Add(Measure(layer, threads));
        return results;
    }

    private static (long[] Input, long[] Weight, Func<Tensor, Tensor, Tensor> Run) Case(string layer) => layer switch
    {
        "conv k3 p1" => ([2, 8, 16, 16, 12], [8, 8, 3, 3, 3], (x, w) => F.conv3d(x, w, padding: [1, 1, 1])),
        "conv k3 p1 bias, 4 channels" => ([2, 4, 16, 16, 16], [4, 4, 3, 3, 3], (x, w) => F.conv3d(x, w, w.sum([1L, 2L, 3L, 4L]), padding: [1, 1, 1])),
        "conv k3 p1, 1 channel in" => ([2, 1, 16, 16, 12], [8, 1, 3, 3, 3], (x, w) => F.conv3d(x, w, padding: [1, 1, 1])),
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
