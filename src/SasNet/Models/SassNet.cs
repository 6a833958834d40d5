using TorchBinding;
using static TorchBinding.torch;
using F = TorchBinding.torch.nn.functional;

namespace SasNet.Models;

/// <summary>SASSNet forward result: segmentation logit (B, 1, X, Y, Z) (sigmoid gives the foreground probability) and tanh SDM (B, 1, X, Y, Z).</summary>
public sealed record SassNetOutput(Tensor SegmentationLogits, Tensor Tanh) : IDisposable
{
    /// <summary>Frees both tensors.</summary>
    public void Dispose()
    {
        SegmentationLogits.Dispose();
        Tanh.Dispose();
    }
}

/// <summary>
/// SASSNet's segmentation network (Li et al., MICCAI 2020; SPEC §3): a V-Net whose last features feed a tanh
/// SDM head <c>out_conv</c> and a segmentation head <c>out_conv2</c>, one channel each by default
/// (the official model is built with <c>n_classes = num_classes − 1 = 1</c>). Names follow the official
/// <c>vnet_sdf.py</c> (flat: <c>block_one</c> … <c>out_conv2</c>).
/// Shapes: (B, InChannels, X, Y, Z) → (B, Classes, X, Y, Z) twice.
/// </summary>
public sealed class SassNetModel : nn.Module<Tensor, SassNetOutput>
{
    private readonly EncoderStages encoder;
    private readonly DecoderStages decoder;

    /// <summary>Builds the network (default: <see cref="ModelConfig.SassNet"/>); branch settings are ignored.</summary>
    public SassNetModel(ModelConfig? config = null) : base("SASSNet")
    {
        Config = (config ?? ModelConfig.SassNet).Validate();
        encoder = new EncoderStages(Config, 5, (n, m) => register_module(n, m));
        decoder = new DecoderStages(Config, 5, false, [("out_conv", Config.Classes, true), ("out_conv2", Config.Classes, false)],
            (n, m) => register_module(n, m));
    }

    /// <summary>The architecture.</summary>
    public ModelConfig Config { get; }

    /// <inheritdoc/>
    public override SassNetOutput forward(Tensor input)
    {
        ModelConfig.ValidatePatch(input.shape);
        var features = encoder.Forward(input, training);
        try
        {
            var outputs = decoder.Forward(features, training);
            return new SassNetOutput(outputs[1], outputs[0]);
        }
        finally
        {
            foreach (var f in features) f.Dispose();
        }
    }
}

/// <summary>
/// SASSNet's discriminator D(SDM, image) (SPEC §3; official <c>FC3DDiscriminator</c>): the SDM through <c>conv0</c>
/// and the image through <c>conv1</c> (Conv3d k4 s2 p1 to 64 channels each), summed, LeakyReLU(0.2), Dropout3d(0.5);
/// <c>conv2</c> 64→128 and <c>conv3</c> 128→256, each followed by LeakyReLU(0.2) and Dropout3d(0.5); <c>conv4</c>
/// 256→512 with LeakyReLU; global average pooling; <c>classifier</c> Linear(512→2).
/// The official code pools with a fixed AvgPool3d((7, 7, 5)), which is the global average exactly at
/// 112×112×80 inputs; we pool globally so any size divisible by 16 works.
/// Shapes: SDM (B, MapChannels, X, Y, Z) and image (B, ImageChannels, X, Y, Z) → logits (B, 2) (class 1 = "labeled").
/// </summary>
public sealed class SassNetDiscriminator : nn.Module<(Tensor Sdm, Tensor Image), Tensor>
{
    private const double Slope = 0.2;

    /// <summary>Creates the discriminator with <paramref name="baseFilters"/> (64) channels after the first convolution.</summary>
    public SassNetDiscriminator(int mapChannels = 1, int imageChannels = 1, int baseFilters = 64) : base("FC3DDiscriminator")
    {
        if (mapChannels < 1 || imageChannels < 1 || baseFilters < 1)
            throw new ArgumentException($"discriminator channels must be positive (map {mapChannels}, image {imageChannels}, filters {baseFilters})");
        long f = baseFilters;
        conv0 = register_module(nameof(conv0), new nn.Conv3d(mapChannels, f, 4, stride: 2, padding: 1));
        conv1 = register_module(nameof(conv1), new nn.Conv3d(imageChannels, f, 4, stride: 2, padding: 1));
        conv2 = register_module(nameof(conv2), new nn.Conv3d(f, 2 * f, 4, stride: 2, padding: 1));
        conv3 = register_module(nameof(conv3), new nn.Conv3d(2 * f, 4 * f, 4, stride: 2, padding: 1));
        conv4 = register_module(nameof(conv4), new nn.Conv3d(4 * f, 8 * f, 4, stride: 2, padding: 1));
        classifier = register_module(nameof(classifier), new nn.Linear(8 * f, 2));
    }

    /// <summary>SDM input convolution.</summary>
    public nn.Conv3d conv0 { get; }
    /// <summary>Image input convolution.</summary>
    public nn.Conv3d conv1 { get; }
    /// <summary>64 → 128.</summary>
    public nn.Conv3d conv2 { get; }
    /// <summary>128 → 256.</summary>
    public nn.Conv3d conv3 { get; }
    /// <summary>256 → 512.</summary>
    public nn.Conv3d conv4 { get; }
    /// <summary>512 → 2.</summary>
    public nn.Linear classifier { get; }

    /// <summary>Logits (B, 2) for an SDM (B, Cm, X, Y, Z) and its image (B, Ci, X, Y, Z).</summary>
    public Tensor forward(Tensor sdm, Tensor image) => forward((sdm, image));

    /// <inheritdoc/>
    public override Tensor forward((Tensor Sdm, Tensor Image) input)
    {
        var (sdm, image) = input;
        if (sdm.ndim != 5 || image.ndim != 5 || !sdm.shape.Skip(2).SequenceEqual(image.shape.Skip(2)) || sdm.size(0) != image.size(0))
            throw new ArgumentException($"discriminator inputs must be (B, C, X, Y, Z) of one batch and size, got SDM [{string.Join(", ", sdm.shape)}] and image [{string.Join(", ", image.shape)}]");
        Tensor x;
        using (var mapFeature = LayerTrace.Run(conv0, sdm))
        using (var imageFeature = LayerTrace.Run(conv1, image))
            x = mapFeature.add(imageFeature);
        x = ActivateAndDrop(x, drop: true);
        x = Step(conv2, x, drop: true);
        x = Step(conv3, x, drop: true);
        x = Step(conv4, x, drop: false);
        using var pooled = F.adaptive_avg_pool3d(x, [1, 1, 1]);
        x.Dispose();
        using var flat = pooled.flatten(1);
        return LayerTrace.Run(classifier, flat);
    }

    private Tensor Step(nn.Conv3d conv, Tensor x, bool drop)
    {
        var y = LayerTrace.Run(conv, x);
        x.Dispose();
        return ActivateAndDrop(y, drop);
    }

    private Tensor ActivateAndDrop(Tensor x, bool drop)
    {
        var activated = F.leaky_relu(x, Slope);
        x.Dispose();
        if (!drop || !training) return activated;
        var dropped = F.dropout3d(activated, 0.5, training: true);
        activated.Dispose();
        return dropped;
    }
}
