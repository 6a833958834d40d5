using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasNet.Models;

/// <summary>SASSNet forward result: segmentation logit (B, 1, X, Y, Z) (sigmoid gives the foreground probability) and tanh SDM (B, 1, X, Y, Z).</summary>
public sealed record SassNetOutput(Tensor SegmentationLogits, Tensor Tanh);

/// <summary>
/// SASSNet's segmentation network (Li et al., MICCAI 2020; docs/method.md): a V-Net whose last features feed a tanh
/// SDM head <c>out_conv</c> and a segmentation head <c>out_conv2</c>, one channel each by default (the official model is
/// built with <c>n_classes = num_classes − 1 = 1</c>). Names follow the official <c>vnet_sdf.py</c> (flat:
/// <c>block_one</c> … <c>out_conv2</c>). Shapes: (B, InChannels, X, Y, Z) → (B, Classes, X, Y, Z) twice.
/// </summary>
public sealed class SassNetModel : FlatVNet<SassNetOutput>
{
    /// <summary>Builds the network (default: <see cref="ModelConfig.SassNet"/>); branch settings are ignored.</summary>
    public SassNetModel(ModelConfig? config = null) : base("SASSNet", config ?? ModelConfig.SassNet, DecoderHeads.SdmAndSegmentation) { }

    /// <inheritdoc/>
    public override SassNetOutput forward(Tensor input)
    {
        var (segmentation, sdm) = Run(input);
        return new SassNetOutput(segmentation, sdm!);
    }
}

/// <summary>
/// SASSNet's discriminator D(SDM, image) (official <c>FC3DDiscriminator</c>): the SDM through <c>conv0</c> and the image
/// through <c>conv1</c> (Conv3d k4 s2 p1 to f channels each; the official f is 64), summed, LeakyReLU(0.2), Dropout3d(0.5); <c>conv2</c> f→2f
/// and <c>conv3</c> 2f→4f, each followed by LeakyReLU(0.2) and Dropout3d(0.5); <c>conv4</c> 4f→8f with LeakyReLU;
/// global average pooling; <c>classifier</c> Linear(8f→2).
/// The official code pools with a fixed AvgPool3d((7, 7, 5)), which is the global average exactly at 112×112×80
/// inputs; we pool globally so any size divisible by 16 works.
/// Shapes: SDM (B, MapChannels, X, Y, Z) and image (B, ImageChannels, X, Y, Z) → logits (B, 2) (class 1 = "labeled").
/// </summary>
public sealed class SassNetDiscriminator : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Channels after the first convolution in the official SASSNet (beside a 16-filter V-Net).</summary>
    public const int OfficialFilters = 64;

    /// <summary>
    /// The width that keeps the official ratio of <see cref="OfficialFilters"/> to the V-Net's 16 filters beside a V-Net
    /// of <paramref name="networkBaseFilters"/>: 64 beside 16, 32 beside 8.
    /// </summary>
    public static int FiltersBeside(int networkBaseFilters) => OfficialFilters / ModelConfig.SassNet.BaseFilters * networkBaseFilters;

    private const double Slope = 0.2;

    private readonly Conv3d conv0, conv1, conv2, conv3, conv4;
    private readonly Linear classifier;
    private readonly Dropout3d dropout = nn.Dropout3d(0.5);

    /// <summary>Creates the discriminator with <paramref name="baseFilters"/> (64) channels after the first convolution.</summary>
    public SassNetDiscriminator(int mapChannels = 1, int imageChannels = 1, int baseFilters = OfficialFilters) : base("FC3DDiscriminator")
    {
        if (mapChannels < 1 || imageChannels < 1 || baseFilters < 1)
            throw new ArgumentException($"discriminator channels must be positive (map {mapChannels}, image {imageChannels}, filters {baseFilters})");
        long f = baseFilters;
        MapChannels = mapChannels;
        ImageChannels = imageChannels;
        conv0 = nn.Conv3d(mapChannels, f, 4, stride: 2, padding: 1);
        conv1 = nn.Conv3d(imageChannels, f, 4, stride: 2, padding: 1);
        conv2 = nn.Conv3d(f, 2 * f, 4, stride: 2, padding: 1);
        conv3 = nn.Conv3d(2 * f, 4 * f, 4, stride: 2, padding: 1);
        conv4 = nn.Conv3d(4 * f, 8 * f, 4, stride: 2, padding: 1);
        classifier = nn.Linear(8 * f, 2);
        RegisterComponents();
    }

    /// <summary>Channels of the SDM input.</summary>
    public int MapChannels { get; }

    /// <summary>Channels of the image input.</summary>
    public int ImageChannels { get; }

    /// <summary>Logits (B, 2) for an SDM (B, Cm, X, Y, Z) and its image (B, Ci, X, Y, Z).</summary>
    public override Tensor forward(Tensor sdm, Tensor image)
    {
        if (sdm.ndim != 5 || image.ndim != 5 || !sdm.shape.Skip(2).SequenceEqual(image.shape.Skip(2)) || sdm.size(0) != image.size(0))
            throw new ArgumentException($"discriminator inputs must be (B, C, X, Y, Z) of one batch and size, got SDM [{string.Join(", ", sdm.shape)}] and image [{string.Join(", ", image.shape)}]");
        var x = dropout.call(F.leaky_relu(conv0.call(sdm) + conv1.call(image), Slope));
        x = dropout.call(F.leaky_relu(conv2.call(x), Slope));
        x = dropout.call(F.leaky_relu(conv3.call(x), Slope));
        x = F.leaky_relu(conv4.call(x), Slope);
        return classifier.call(F.adaptive_avg_pool3d(x, [1, 1, 1]).flatten(1));
    }
}
