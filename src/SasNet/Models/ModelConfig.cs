using System.Text.Json.Serialization;
using SasNet.Geometry;

namespace SasNet.Models;

/// <summary>Normalisation after each convolution (the official <c>normalization=</c> argument).</summary>
public enum NormalizationKind
{
    /// <summary>No normalisation: convolution then ReLU.</summary>
    None,
    /// <summary>BatchNorm3d ("batchnorm", the SASNet default).</summary>
    Batch,
    /// <summary>GroupNorm with 16 groups ("groupnorm"; every channel count must be a multiple of 16).</summary>
    Group,
    /// <summary>InstanceNorm3d without affine parameters ("instancenorm", as PyTorch's default).</summary>
    Instance,
}

/// <summary>Which decoders a <see cref="SasNetModel"/> has (Table 4: one branch vs two).</summary>
public enum DecoderBranches
{
    /// <summary>High-level decoder only (from the bottleneck x5): a V-Net with an SDM head.</summary>
    High,
    /// <summary>Low-level decoder only (from x4, or x3 with depth 3).</summary>
    Low,
    /// <summary>Both decoders on a shared encoder: SASNet (paper §3.1, Fig. 2; docs/method.md §2).</summary>
    Both,
}

/// <summary>How decoders double the resolution.</summary>
public enum UpsamplingMode
{
    /// <summary>ConvTranspose3d kernel 2 stride 2 + norm + ReLU (V-Net and SASNet default).</summary>
    TransposedConv,
    /// <summary>Trilinear ×2 (align_corners = true, as the official <c>mode_upsampling=1</c>) + Conv3d 3×3×3 + norm + ReLU.</summary>
    Trilinear,
}

/// <summary>
/// Everything that fixes the architecture of a V-Net / SASNet / SASSNet model. Defaults are the
/// SASNet training setup of the official code (paper §3.1, §4.2; docs/method.md §2): 1 input channel, 2 classes, 16 base
/// filters, BatchNorm, dropout on, both branches, 4-level low-level decoder, transposed-conv up-sampling.
/// </summary>
/// <param name="InChannels">Image channels (1 for LA / Pancreas / BraTS-FLAIR).</param>
/// <param name="Classes">Segmentation logits per voxel (2 for SASNet; SASSNet uses 1 sigmoid logit).</param>
/// <param name="BaseFilters">Channels of the first encoder stage; stage k has BaseFilters·2^(k−1) (16 … 256 by default).</param>
/// <param name="Normalization">Normalisation after every convolution.</param>
/// <param name="HasDropout">Dropout3d(0.5) on the bottleneck (or the deepest encoder output used) and before the heads, in training mode only.</param>
/// <param name="Branches">Decoders present (SASNet only).</param>
/// <param name="LowDecoderDepth">Levels of the low-level decoder: 4 (starts at x4, default) or 3 (starts at x3, Table 9).</param>
/// <param name="Upsampling">Up-sampling layer of the decoders.</param>
/// <param name="KeepOfficialUnusedBlock">
/// The official SASNet registers a <c>block_five_up</c> in its low-level decoder that its forward never uses
/// (262 528 parameters with 16 filters and BatchNorm): that is why PyTorch counts 11.52 M parameters
/// where the paper reports 11.26 M. Set this to register the same unused block, so a state dict exported
/// from the official model loads strictly by name and the parameter count matches PyTorch's.
/// </param>
/// <param name="DiscriminatorFilters">
/// SASSNet only: channels after the first convolution of its discriminator (<see cref="SassNetDiscriminator"/>), null for
/// the other models. The official SASSNet pairs 64 with a 16-filter V-Net; <see cref="Training.ExperimentConfig.Create"/>
/// keeps that ratio at every scale (<see cref="SassNetDiscriminator.FiltersBeside"/>).
/// </param>
public sealed record ModelConfig(
    int InChannels = 1,
    int Classes = 2,
    int BaseFilters = 16,
    NormalizationKind Normalization = NormalizationKind.Batch,
    bool HasDropout = true,
    DecoderBranches Branches = DecoderBranches.Both,
    int LowDecoderDepth = 4,
    UpsamplingMode Upsampling = UpsamplingMode.TransposedConv,
    bool KeepOfficialUnusedBlock = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DiscriminatorFilters = null)
{
    /// <summary>Number of stride-2 down-samplings of the encoder: inputs must be divisible by 2^4 = 16 on every axis.</summary>
    public const int DownsamplingCount = 4;

    /// <summary>Groups of GroupNorm, as the official code (<c>num_groups=16</c>).</summary>
    public const int GroupNormGroups = 16;

    /// <summary>The SASNet configuration of the official training script (16 filters, BatchNorm, dropout, both branches).</summary>
    public static ModelConfig SasNet { get; } = new();

    /// <summary>Plain V-Net (used by <see cref="VNet"/>): 2 classes, BatchNorm, dropout.</summary>
    public static ModelConfig VNet { get; } = new(Branches: DecoderBranches.High);

    /// <summary>SASSNet's V-Net: one sigmoid segmentation logit and one tanh SDM channel.</summary>
    public static ModelConfig SassNet { get; } = new(Classes: 1, Branches: DecoderBranches.High, DiscriminatorFilters: SassNetDiscriminator.OfficialFilters);

    /// <summary>Whether the model has the high-level decoder.</summary>
    [JsonIgnore]
    public bool HasHighDecoder => Branches is DecoderBranches.High or DecoderBranches.Both;

    /// <summary>Whether the model has the low-level decoder.</summary>
    [JsonIgnore]
    public bool HasLowDecoder => Branches is DecoderBranches.Low or DecoderBranches.Both;

    /// <summary>Throws <see cref="ArgumentException"/> naming every invalid setting; returns this for chaining.</summary>
    public ModelConfig Validate()
    {
        var problems = new List<string>();
        if (InChannels < 1) problems.Add($"InChannels must be at least 1, got {InChannels}");
        if (Classes < 1) problems.Add($"Classes must be at least 1, got {Classes}");
        if (BaseFilters < 1) problems.Add($"BaseFilters must be at least 1, got {BaseFilters}");
        else if (Normalization == NormalizationKind.Group && BaseFilters % GroupNormGroups != 0)
            problems.Add($"GroupNorm uses {GroupNormGroups} groups, so BaseFilters must be a multiple of {GroupNormGroups}, got {BaseFilters}");
        if (!Enum.IsDefined(Normalization)) problems.Add($"unknown normalisation {Normalization}");
        if (!Enum.IsDefined(Branches)) problems.Add($"unknown branch setting {Branches}");
        if (!Enum.IsDefined(Upsampling)) problems.Add($"unknown up-sampling mode {Upsampling}");
        if (LowDecoderDepth is not (3 or 4)) problems.Add($"LowDecoderDepth must be 3 or 4 (Table 9), got {LowDecoderDepth}");
        if (DiscriminatorFilters < 1) problems.Add($"DiscriminatorFilters must be at least 1, got {DiscriminatorFilters}");
        if (KeepOfficialUnusedBlock && !(HasLowDecoder && LowDecoderDepth == 4))
            problems.Add("KeepOfficialUnusedBlock only applies to a 4-level low-level decoder");
        if (problems.Count > 0) throw new ArgumentException("invalid model configuration: " + string.Join("; ", problems));
        return this;
    }

    /// <summary>
    /// Checks that a patch of spatial size (X, Y, Z) survives the 4 stride-2 down-samplings and the skip
    /// additions: every axis must be a positive multiple of 16. Throws <see cref="ArgumentException"/> naming the shape.
    /// </summary>
    public static void ValidatePatch(Shape3 patch) => ValidatePatch([patch.X, patch.Y, patch.Z]);

    /// <summary>As <see cref="ValidatePatch(Shape3)"/> for the spatial sizes of a (B, C, X, Y, Z) shape or an (X, Y, Z) list.</summary>
    public static void ValidatePatch(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count is not (3 or 5))
            throw new ArgumentException($"expected a (B, C, X, Y, Z) tensor shape or an (X, Y, Z) size, got [{string.Join(", ", shape)}]");
        var spatial = shape.Skip(shape.Count - 3).ToArray();
        const int Factor = 1 << DownsamplingCount;
        var bad = new List<string>();
        for (int a = 0; a < 3; a++)
            if (spatial[a] < Factor || spatial[a] % Factor != 0) bad.Add($"{"XYZ"[a]} = {spatial[a]}");
        if (bad.Count > 0)
            throw new ArgumentException(
                $"patch {string.Join("×", spatial)} cannot pass the {DownsamplingCount} stride-2 down-samplings of the V-Net encoder: " +
                $"every axis must be a positive multiple of {Factor} ({string.Join(", ", bad)} is not); e.g. 112×112×80 or 96×96×96");
    }
}
