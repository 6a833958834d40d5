using TorchBinding;
using static TorchBinding.torch;
using F = TorchBinding.torch.nn.functional;

namespace SasNet.Models;

/// <summary>
/// A stack of <c>n</c> × (Conv3d 3×3×3 pad 1 → norm → ReLU), the V-Net ConvBlock. Its layers sit in a
/// Sequential named <c>conv</c> numbered as PyTorch numbers them (Conv3d, BatchNorm3d, ReLU, Conv3d, …;
/// without normalisation Conv3d, ReLU, …), so official state dicts load by name.
/// Shapes: (B, Cin, X, Y, Z) → (B, Cout, X, Y, Z).
/// </summary>
public sealed class ConvBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the block.</summary>
    public ConvBlock(int stages, long inChannels, long outChannels, NormalizationKind normalization) : base(nameof(ConvBlock))
    {
        if (stages < 1) throw new ArgumentOutOfRangeException(nameof(stages), stages, "a ConvBlock needs at least one convolution");
        conv = new nn.Sequential();
        for (int i = 0; i < stages; i++)
        {
            conv.append(new nn.Conv3d(i == 0 ? inChannels : outChannels, outChannels, 3, padding: 1));
            var norm = Normalization.Create(normalization, outChannels);
            if (norm is not null) conv.append(norm);
            conv.append(new nn.ReLU(inplace: true));
        }
        register_module(nameof(conv), conv);
    }

    /// <summary>The layers, PyTorch-numbered.</summary>
    public nn.Sequential conv { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => LayerTrace.RunSequential(conv, input);
}

/// <summary>
/// Down-sampling: Conv3d kernel 2 stride 2 (doubling the channels in V-Net) → norm → ReLU, in a Sequential
/// named <c>conv</c>. Shapes: (B, Cin, X, Y, Z) → (B, Cout, X/2, Y/2, Z/2).
/// </summary>
public sealed class DownsamplingConvBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the block.</summary>
    public DownsamplingConvBlock(long inChannels, long outChannels, NormalizationKind normalization) : base(nameof(DownsamplingConvBlock))
    {
        conv = new nn.Sequential(new nn.Conv3d(inChannels, outChannels, 2, stride: 2));
        var norm = Normalization.Create(normalization, outChannels);
        if (norm is not null) conv.append(norm);
        conv.append(new nn.ReLU(inplace: true));
        register_module(nameof(conv), conv);
    }

    /// <summary>The layers, PyTorch-numbered.</summary>
    public nn.Sequential conv { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => LayerTrace.RunSequential(conv, input);
}

/// <summary>
/// Up-sampling ×2 in a Sequential named <c>conv</c>: either ConvTranspose3d kernel 2 stride 2 → norm → ReLU
/// (indices 0, 1, 2; the official UpsamplingDeconvBlock / <c>mode_upsampling=0</c>) or trilinear ×2 → Conv3d
/// 3×3×3 → norm → ReLU (indices 0, 1, 2, 3; <c>mode_upsampling=1</c>).
/// Shapes: (B, Cin, X, Y, Z) → (B, Cout, 2X, 2Y, 2Z).
/// </summary>
public sealed class UpsamplingBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the block.</summary>
    public UpsamplingBlock(long inChannels, long outChannels, NormalizationKind normalization, UpsamplingMode mode) : base(nameof(UpsamplingBlock))
    {
        conv = new nn.Sequential();
        if (mode == UpsamplingMode.TransposedConv)
        {
            // Auto picks the depth-to-space path on the CPU (kernel = stride), much faster than libtorch 1.13's kernel.
            conv.append(new nn.ConvTranspose3d(inChannels, outChannels, 2, stride: 2));
        }
        else
        {
            conv.append(new TrilinearUpsample());
            conv.append(new nn.Conv3d(inChannels, outChannels, 3, padding: 1));
        }
        var norm = Normalization.Create(normalization, outChannels);
        if (norm is not null) conv.append(norm);
        conv.append(new nn.ReLU(inplace: true));
        register_module(nameof(conv), conv);
    }

    /// <summary>The layers, PyTorch-numbered.</summary>
    public nn.Sequential conv { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => LayerTrace.RunSequential(conv, input);
}

/// <summary>Trilinear ×2 resize with align_corners = true (PyTorch's <c>nn.Upsample(scale_factor=2, mode="trilinear", align_corners=True)</c>). No parameters.</summary>
public sealed class TrilinearUpsample() : nn.Module<Tensor, Tensor>(nameof(TrilinearUpsample))
{
    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var s = input.shape;
        if (s.Length != 5) throw new ArgumentException($"trilinear up-sampling expects (B, C, X, Y, Z), got [{string.Join(", ", s)}]", nameof(input));
        return F.interpolate(input, [2 * s[2], 2 * s[3], 2 * s[4]], "trilinear", align_corners: true);
    }
}

/// <summary>Instance normalisation without learnable parameters, as PyTorch's default <c>nn.InstanceNorm3d(C)</c>.</summary>
public sealed class InstanceNorm3dNoAffine() : nn.Module<Tensor, Tensor>(nameof(InstanceNorm3dNoAffine))
{
    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => F.instance_norm(input);
}

/// <summary>Creates the normalisation layer of a <see cref="NormalizationKind"/>.</summary>
public static class Normalization
{
    /// <summary>The layer for <paramref name="channels"/> channels, or null for <see cref="NormalizationKind.None"/>.</summary>
    public static nn.Module<Tensor, Tensor>? Create(NormalizationKind kind, long channels) => kind switch
    {
        NormalizationKind.None => null,
        NormalizationKind.Batch => new nn.BatchNorm3d(channels),
        NormalizationKind.Group => new nn.GroupNorm(ModelConfig.GroupNormGroups, channels),
        NormalizationKind.Instance => new InstanceNorm3dNoAffine(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown normalisation"),
    };
}

/// <summary>One convolution-like layer seen during a traced forward (see <see cref="LayerTrace"/>).</summary>
/// <param name="Layer">The Conv3d, ConvTranspose3d or Linear module.</param>
/// <param name="InputShape">Its input shape.</param>
/// <param name="OutputShape">Its output shape.</param>
public sealed record TracedLayer(nn.Module Layer, long[] InputShape, long[] OutputShape);

/// <summary>
/// Runs the layers of this kit's models and, while a trace is open on the thread, records the input
/// and output shapes of every Conv3d, ConvTranspose3d and Linear — the hook the complexity counter uses.
/// Also the place where intermediates are freed eagerly and ReLU runs in place (libtorch on the CPU is
/// only as fast as PyTorch when intermediates die as soon as they are consumed).
/// </summary>
public static class LayerTrace
{
    [ThreadStatic] private static List<TracedLayer>? active;

    /// <summary>Starts recording on this thread; the returned scope stops it. Traces do not nest.</summary>
    public static TraceScope Begin()
    {
        if (active is not null) throw new InvalidOperationException("a layer trace is already open on this thread");
        active = [];
        return new TraceScope(active);
    }

    /// <summary>Runs one layer, recording it when a trace is open.</summary>
    public static Tensor Run(nn.Module<Tensor, Tensor> layer, Tensor input)
    {
        var output = layer.forward(input);
        if (active is not null && layer is nn.Conv3d or nn.ConvTranspose3d or nn.Linear)
            active.Add(new TracedLayer(layer, input.shape, output.shape));
        return output;
    }

    /// <summary>
    /// Runs a Sequential of Conv/Norm/ReLU/Upsample layers: each intermediate is disposed as soon as the next
    /// layer has consumed it, and ReLU is applied in place to our own intermediates (as PyTorch's
    /// <c>ReLU(inplace=True)</c>). The input is never modified or disposed.
    /// </summary>
    public static Tensor RunSequential(nn.Sequential layers, Tensor input)
    {
        Tensor x = input;
        bool owned = false;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer is nn.ReLU)
            {
                if (owned) x.relu_();
                else { x = x.relu(); owned = true; }
                continue;
            }
            var y = Run(layer, x);
            if (owned) x.Dispose();
            x = y;
            owned = true;
        }
        return owned ? x : x.alias();
    }

    /// <summary>An open trace; dispose to stop recording.</summary>
    public sealed class TraceScope : IDisposable
    {
        private readonly List<TracedLayer> records;
        internal TraceScope(List<TracedLayer> records) => this.records = records;

        /// <summary>The layers recorded so far, in execution order.</summary>
        public IReadOnlyList<TracedLayer> Layers => records;

        /// <summary>Stops recording.</summary>
        public void Dispose()
        {
            if (ReferenceEquals(active, records)) active = null;
        }
    }
}
