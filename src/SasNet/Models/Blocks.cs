using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SasNet.Models;

/// <summary>
/// The V-Net convolution block: <c>stages</c> × (Conv3d 3×3×3 pad 1 → normalisation → ReLU) in a Sequential named
/// <c>conv</c>, numbered as PyTorch numbers it (Conv3d, BatchNorm3d, ReLU, Conv3d, …; without normalisation Conv3d,
/// ReLU, …), so official state dicts load by name. Shapes: (B, Cin, X, Y, Z) → (B, Cout, X, Y, Z).
/// </summary>
public sealed class ConvBlock : nn.Module<Tensor, Tensor>
{
    private readonly Sequential conv;

    /// <summary>Creates the block.</summary>
    public ConvBlock(int stages, long inChannels, long outChannels, NormalizationKind normalization) : base(nameof(ConvBlock))
    {
        if (stages < 1) throw new ArgumentOutOfRangeException(nameof(stages), stages, "a ConvBlock needs at least one convolution");
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i < stages; i++)
        {
            layers.Add(nn.Conv3d(i == 0 ? inChannels : outChannels, outChannels, 3, padding: 1));
            layers.AddRange(Normalization.Create(normalization, outChannels));
            layers.Add(nn.ReLU(inplace: true));
        }
        conv = nn.Sequential(layers);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => conv.call(input);
}

/// <summary>
/// Down-sampling: Conv3d kernel 2 stride 2 (doubling the channels in V-Net) → normalisation → ReLU, in a Sequential
/// named <c>conv</c>. Shapes: (B, Cin, X, Y, Z) → (B, Cout, X/2, Y/2, Z/2).
/// </summary>
public sealed class DownsamplingConvBlock : nn.Module<Tensor, Tensor>
{
    private readonly Sequential conv;

    /// <summary>Creates the block.</summary>
    public DownsamplingConvBlock(long inChannels, long outChannels, NormalizationKind normalization) : base(nameof(DownsamplingConvBlock))
    {
        conv = nn.Sequential([nn.Conv3d(inChannels, outChannels, 2, stride: 2), .. Normalization.Create(normalization, outChannels), nn.ReLU(inplace: true)]);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => conv.call(input);
}

/// <summary>
/// Up-sampling ×2 in a Sequential named <c>conv</c>: either a kernel-2 stride-2 transposed convolution → normalisation
/// → ReLU (indices 0, 1, 2; the official <c>mode_upsampling=0</c>) or trilinear ×2 (align_corners) → Conv3d 3×3×3 →
/// normalisation → ReLU (indices 0, 1, 2, 3; <c>mode_upsampling=1</c>). Shapes: (B, Cin, X, Y, Z) → (B, Cout, 2X, 2Y, 2Z).
/// </summary>
public sealed class UpsamplingBlock : nn.Module<Tensor, Tensor>
{
    private readonly Sequential conv;

    /// <summary>Creates the block.</summary>
    public UpsamplingBlock(long inChannels, long outChannels, ModelConfig config) : base(nameof(UpsamplingBlock))
    {
        nn.Module<Tensor, Tensor>[] resize = config.Upsampling == UpsamplingMode.TransposedConv
            ? [nn.ConvTranspose3d(inChannels, outChannels, 2, stride: 2)]
            : [nn.Upsample(scale_factor: [2.0, 2.0, 2.0], mode: UpsampleMode.Trilinear, align_corners: true), nn.Conv3d(inChannels, outChannels, 3, padding: 1)];
        conv = nn.Sequential([.. resize, .. Normalization.Create(config.Normalization, outChannels), nn.ReLU(inplace: true)]);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => conv.call(input);
}

/// <summary>Creates the normalisation layer of a <see cref="NormalizationKind"/>.</summary>
public static class Normalization
{
    /// <summary>The layer for <paramref name="channels"/> channels; none for <see cref="NormalizationKind.None"/>.</summary>
    public static IEnumerable<nn.Module<Tensor, Tensor>> Create(NormalizationKind kind, long channels) => kind switch
    {
        NormalizationKind.None => [],
        NormalizationKind.Batch => [nn.BatchNorm3d(channels)],
        NormalizationKind.Group => [nn.GroupNorm(ModelConfig.GroupNormGroups, channels)],
        // PyTorch's default InstanceNorm3d: no affine parameters, no running statistics.
        NormalizationKind.Instance => [nn.InstanceNorm3d(channels)],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown normalisation"),
    };
}
