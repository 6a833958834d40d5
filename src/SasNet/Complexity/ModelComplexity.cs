using System.Globalization;
using System.Text;
using SasNet.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SasNet.Complexity;

/// <summary>How a transposed convolution's multiply-accumulates are counted.</summary>
public enum TransposedConvCounting
{
    /// <summary>Cin·Cout·k³ per <b>input</b> voxel: the multiplications actually needed (the default).</summary>
    InputVoxels,
    /// <summary>Cin·Cout·k³ per <b>output</b> voxel, as thop/ptflops count it (8× more for V-Net's k = s = 2 up-convolutions).</summary>
    OutputVoxels,
}

/// <summary>Cost of one layer for one sample.</summary>
/// <param name="Name">Dotted module name (<c>decoder3.block_five_up.conv.0</c>).</param>
/// <param name="Kind">Conv3d, ConvTranspose3d or Linear.</param>
/// <param name="OutputShape">Output shape for one sample at the measured input size.</param>
/// <param name="MultiplyAccumulates">MACs of the layer (bias additions excluded).</param>
public sealed record LayerComplexity(string Name, string Kind, long[] OutputShape, double MultiplyAccumulates);

/// <summary>Parameters and multiply-accumulates of a model for one input of a given size (Table 11).</summary>
/// <param name="Model">Model name.</param>
/// <param name="InputSize">Spatial input size (X, Y, Z).</param>
/// <param name="Parameters">Learnable parameters (the module tree's, as PyTorch's <c>sum(p.numel())</c>).</param>
/// <param name="MultiplyAccumulates">Sum of <see cref="Layers"/> for batch 1.</param>
/// <param name="Layers">Per-layer costs in execution order.</param>
/// <param name="Counting">Transposed-convolution convention used.</param>
public sealed record ComplexityReport(string Model, long[] InputSize, long Parameters, double MultiplyAccumulates,
    IReadOnlyList<LayerComplexity> Layers, TransposedConvCounting Counting)
{
    /// <summary>Parameters in millions.</summary>
    public double ParametersM => Parameters / 1e6;

    /// <summary>MACs in billions ("GFLOPs" in the paper's Table 11).</summary>
    public double GigaMacs => MultiplyAccumulates / 1e9;

    /// <summary>"SASNet @ 112×112×80: 11.26 M parameters, 62.78 G MACs".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Model} @ {string.Join("×", InputSize)}: {ParametersM:F2} M parameters, {GigaMacs:F2} G MACs ({Counting})");
}

/// <summary>
/// Parameter and multiply-accumulate (MAC) counts of this kit's models (Table 11).
/// <para>What is counted: every Conv3d as Cout·(Cin/groups)·k³ per output voxel; every ConvTranspose3d as Cin·Cout·k³ per
/// input voxel (or per output voxel, thop/ptflops style, with <see cref="TransposedConvCounting.OutputVoxels"/>); every
/// Linear as in·out. Bias additions, normalisation, activations, dropout, pooling, up-sampling interpolation and the
/// skip additions are not counted (thop leaves BN/ReLU out as well). Batch size 1.</para>
/// <para>How: a forward pass in evaluation mode without gradient, with TorchSharp forward hooks recording the shapes of
/// every convolution and linear layer. The full-size forward is avoided when possible: the model is traced at two small
/// probe sizes and, when every layer's output size scales in proportion to the input (true for V-Net-like models on
/// sizes divisible by 16), the layer shapes are scaled to the requested size; otherwise the forward runs at full size.</para>
/// <para>Against the paper (Table 11: V-Net 9.18 M / 46.85 G, SASNet 11.26 M / 67.31 G; official SASNet counted in PyTorch
/// 11.52 M) at 112×112×80 we measure V-Net 9 448 866 parameters and 40.11 G MACs, SASNet 11 258 376 parameters and
/// 62.78 G MACs. SASNet's parameters match the paper exactly; the official model's 11.52 M is the same network plus
/// a <c>block_five_up</c> the official low-level decoder registers but never runs (262 528 parameters; see
/// <see cref="ModelConfig.KeepOfficialUnusedBlock"/>). The paper's V-Net parameter count (9.18 M) is 0.27 M below the
/// standard UA-MT/SASSNet V-Net we and the official code build (about one 256→128 up-convolution); it likely comes
/// from another V-Net implementation, and we cannot reproduce it. For MACs the convention matters: counting transposed
/// convolutions per output voxel (thop style, <see cref="TransposedConvCounting.OutputVoxels"/>) gives exactly 46.85 G
/// for V-Net — the paper's figure — but 75.82 G for SASNet, not 67.31 G; we found no convention that yields the paper's
/// SASNet MACs. Our default counts the multiplications actually performed.</para>
/// </summary>
public static class ModelComplexity
{
    /// <summary>Learnable parameters of a module tree.</summary>
    public static long CountParameters(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.parameters().Sum(p => p.numel());
    }

    /// <summary>
    /// Complexity of <paramref name="model"/> for one input of spatial size <paramref name="size"/> (X, Y, Z). Supports
    /// <see cref="VNet"/>, <see cref="SasNetModel"/>, <see cref="SassNetModel"/> and <see cref="SassNetDiscriminator"/>;
    /// other models go through <see cref="Measure(nn.Module, string, long[], Action{long[]}, TransposedConvCounting, bool)"/>.
    /// </summary>
    public static ComplexityReport Measure(nn.Module model, long[] size, TransposedConvCounting counting = TransposedConvCounting.InputVoxels, bool exact = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        Action<long[]> run = model switch
        {
            VNet v => s => { using var input = zeros([1, v.Config.InChannels, .. s]); v.call(input); }
            ,
            SasNetModel m => s => { using var input = zeros([1, m.Config.InChannels, .. s]); m.call(input); }
            ,
            SassNetModel m => s => { using var input = zeros([1, m.Config.InChannels, .. s]); m.call(input); }
            ,
            SassNetDiscriminator d => s =>
            {
                using var sdm = zeros([1, d.MapChannels, .. s]);
                using var image = zeros([1, d.ImageChannels, .. s]);
                d.call(sdm, image);
            }
            ,
            _ => throw new ArgumentException($"no default forward for {model.GetName()}; use the overload that takes a forward action", nameof(model)),
        };
        return Measure(model, model.GetName(), size, run, counting, exact);
    }

    /// <summary>
    /// Complexity of any model whose forward is <paramref name="runForward"/>(spatial size) on a batch of one; only layers
    /// called through <c>call</c> (which runs forward hooks) are seen, as every layer of this kit's models is.
    /// </summary>
    public static ComplexityReport Measure(nn.Module model, string name, long[] size, Action<long[]> runForward,
        TransposedConvCounting counting = TransposedConvCounting.InputVoxels, bool exact = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(size);
        ArgumentNullException.ThrowIfNull(runForward);
        if (size.Length != 3 || size.Any(s => s < 1)) throw new ArgumentException($"size must be (X, Y, Z) with positive sizes, got [{string.Join(", ", size)}]", nameof(size));

        var names = new Dictionary<nn.Module, string>(ReferenceEqualityComparer.Instance);
        foreach (var (moduleName, module) in model.named_modules()) names.TryAdd(module, moduleName);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            IReadOnlyList<TracedLayer>? layers = null;
            if (!exact) layers = TryScaledTrace(model, size, runForward);
            layers ??= Trace(model, size, runForward);

            var costs = layers.Select(l => Cost(l, names, counting)).ToList();
            return new ComplexityReport(name, [.. size], model.parameters().Sum(p => p.numel()), costs.Sum(c => c.MultiplyAccumulates), costs, counting);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>A plain-text table of several reports beside the paper's Table 11 values.</summary>
    public static string CompareWithPaper(IEnumerable<ComplexityReport> reports)
    {
        var paper = new Dictionary<string, (double Params, double Gmacs)>(StringComparer.OrdinalIgnoreCase)
        {
            ["VNet"] = (9.18, 46.85),
            ["SASNet"] = (11.26, 67.31),
        };
        var sb = new StringBuilder();
        sb.AppendLine("model        input          params (M)  paper (M)   MACs (G)  paper (G)");
        foreach (var r in reports)
        {
            var p = paper.TryGetValue(r.Model, out var v) ? v : (double.NaN, double.NaN);
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Model,-12} {string.Join("×", r.InputSize),-14} {r.ParametersM,10:F2} {Show(p.Item1),10} {r.GigaMacs,10:F2} {Show(p.Item2),10}"));
        }
        sb.AppendLine("paper: LA, Table 11; official SASNet model counted in PyTorch: 11.52 M (includes an unused block_five_up).");
        return sb.ToString();
        static string Show(double v) => double.IsNaN(v) ? "—" : v.ToString("F2", CultureInfo.InvariantCulture);
    }

    /// <summary>One convolution-like layer seen during a traced forward, with its input and output shapes.</summary>
    private sealed record TracedLayer(nn.Module Layer, long[] InputShape, long[] OutputShape);

    // Records every Conv3d, transposed convolution and Linear that runs, through TorchSharp forward hooks.
    private static IReadOnlyList<TracedLayer> Trace(nn.Module model, long[] size, Action<long[]> runForward)
    {
        var records = new List<TracedLayer>();
        var hooks = model.named_modules().Select(m => m.module)
            .Where(m => m is Conv3d or ConvTranspose3d or Linear)
            .Cast<nn.Module<Tensor, Tensor>>()
            .Select(m => m.register_forward_hook((layer, input, output) =>
            {
                records.Add(new TracedLayer(layer, input.shape, output.shape));
                return output;
            }))
            .ToList();
        try
        {
            using var grad = no_grad();
            using var scope = NewDisposeScope();
            runForward(size);
        }
        finally
        {
            foreach (var hook in hooks) hook.remove();
        }
        return records;
    }

    // Traces at 16³ and 32³; when every layer's spatial output doubles with the input, scales the 16³ trace to the target.
    private static IReadOnlyList<TracedLayer>? TryScaledTrace(nn.Module model, long[] size, Action<long[]> runForward)
    {
        if (size.Any(s => s % 16 != 0)) return null;
        IReadOnlyList<TracedLayer> small, large;
        try
        {
            small = Trace(model, [16, 16, 16], runForward);
            large = Trace(model, [32, 32, 32], runForward);
        }
        catch (ArgumentException)
        {
            return null;
        }
        if (small.Count != large.Count) return null;
        var scaled = new List<TracedLayer>(small.Count);
        for (int i = 0; i < small.Count; i++)
        {
            var a = small[i];
            var b = large[i];
            if (!ReferenceEquals(a.Layer, b.Layer) || a.InputShape.Length != b.InputShape.Length || a.OutputShape.Length != b.OutputShape.Length) return null;
            var input = ScaleShape(a.InputShape, b.InputShape, size);
            var output = ScaleShape(a.OutputShape, b.OutputShape, size);
            if (input is null || output is null) return null;
            scaled.Add(new TracedLayer(a.Layer, input, output));
        }
        return scaled;
    }

    // Spatial dims (from index 2 of 5-D shapes) must be exactly proportional: probe 16 → s16, probe 32 → 2·s16; other dims equal.
    private static long[]? ScaleShape(long[] at16, long[] at32, long[] target)
    {
        var result = (long[])at16.Clone();
        for (int d = 0; d < at16.Length; d++)
        {
            bool spatial = at16.Length == 5 && d >= 2;
            if (!spatial)
            {
                if (at16[d] != at32[d]) return null;
                continue;
            }
            if (at32[d] != 2 * at16[d]) return null;
            long numerator = at16[d] * target[d - 2];
            if (numerator % 16 != 0) return null;
            result[d] = numerator / 16;
        }
        return result;
    }

    private static LayerComplexity Cost(TracedLayer layer, Dictionary<nn.Module, string> names, TransposedConvCounting counting)
    {
        string name = names.TryGetValue(layer.Layer, out var n) ? n : layer.Layer.GetName();
        long batch = layer.OutputShape[0];
        static long Voxels(long[] shape) => shape.Skip(2).Aggregate(1L, (a, b) => a * b);
        var perSample = layer.OutputShape.Skip(1).ToArray();
        switch (layer.Layer)
        {
            case Conv3d conv:
                {
                    var w = conv.weight.shape; // (Cout, Cin/groups, k, k, k)
                    double macs = (double)w[0] * w[1] * w[2] * w[3] * w[4] * Voxels(layer.OutputShape);
                    return new LayerComplexity(name, "Conv3d", perSample, macs / batch);
                }
            case ConvTranspose3d up:
                {
                    var w = up.weight.shape; // (Cin, Cout, k, k, k)
                    long voxels = counting == TransposedConvCounting.InputVoxels ? Voxels(layer.InputShape) : Voxels(layer.OutputShape);
                    double macs = (double)w[0] * w[1] * w[2] * w[3] * w[4] * voxels;
                    return new LayerComplexity(name, "ConvTranspose3d", perSample, macs / batch);
                }
            case Linear linear:
                {
                    var w = linear.weight.shape;
                    return new LayerComplexity(name, "Linear", perSample, (double)w[0] * w[1]);
                }
            default:
                throw new InvalidOperationException($"unexpected traced layer {layer.Layer.GetName()}");
        }
    }
}
