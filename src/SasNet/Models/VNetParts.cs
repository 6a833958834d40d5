using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SasNet.Models;

/// <summary>
/// The shared V-Net encoder (paper Eqs. 1–2; the official <c>Encoder</c>): stages of 1, 2, 3, 3, 3 convolutions at f, 2f,
/// 4f, 8f, 16f channels (<c>block_one</c> … <c>block_five</c>), separated by stride-2 down-sampling convolutions that
/// double the channels (<c>block_one_dw</c> … <c>block_four_dw</c>), Dropout3d(0.5) on the bottleneck x5 in training.
/// Only the first <see cref="Levels"/> stages are built: a model without the high-level decoder never reads x5.
/// Shapes: (B, InChannels, X, Y, Z) → x_k (B, f·2^(k−1), X/2^(k−1), Y/2^(k−1), Z/2^(k−1)) for k = 1 … Levels.
/// </summary>
public sealed class VNetEncoder : nn.Module<Tensor, Tensor[]>
{
    private readonly ConvBlock block_one, block_two, block_three;
    private readonly DownsamplingConvBlock block_one_dw, block_two_dw;
    private readonly DownsamplingConvBlock? block_three_dw, block_four_dw;
    private readonly ConvBlock? block_four, block_five;
    private readonly Dropout3d dropout = nn.Dropout3d(0.5);
    private readonly bool hasDropout;

    /// <summary>Builds the first <paramref name="levels"/> (3, 4 or 5) stages.</summary>
    public VNetEncoder(ModelConfig config, int levels = 5) : base("Encoder")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (levels is < 3 or > 5) throw new ArgumentOutOfRangeException(nameof(levels), levels, "the encoder has 3, 4 or 5 stages");
        Levels = levels;
        hasDropout = config.HasDropout;
        long f = config.BaseFilters;
        var norm = config.Normalization;
        block_one = new ConvBlock(1, config.InChannels, f, norm);
        block_one_dw = new DownsamplingConvBlock(f, 2 * f, norm);
        block_two = new ConvBlock(2, 2 * f, 2 * f, norm);
        block_two_dw = new DownsamplingConvBlock(2 * f, 4 * f, norm);
        block_three = new ConvBlock(3, 4 * f, 4 * f, norm);
        if (levels >= 4)
        {
            block_three_dw = new DownsamplingConvBlock(4 * f, 8 * f, norm);
            block_four = new ConvBlock(3, 8 * f, 8 * f, norm);
        }
        if (levels == 5)
        {
            block_four_dw = new DownsamplingConvBlock(8 * f, 16 * f, norm);
            block_five = new ConvBlock(3, 16 * f, 16 * f, norm);
        }
        RegisterComponents();
    }

    /// <summary>Number of stages built.</summary>
    public int Levels { get; }

    /// <summary>x1 … x_Levels.</summary>
    public override Tensor[] forward(Tensor input)
    {
        var x1 = block_one.call(input);
        var x2 = block_two.call(block_one_dw.call(x1));
        var x3 = block_three.call(block_two_dw.call(x2));
        if (Levels == 3) return [x1, x2, x3];
        var x4 = block_four!.call(block_three_dw!.call(x3));
        if (Levels == 4) return [x1, x2, x3, x4];
        var x5 = block_five!.call(block_four_dw!.call(x4));
        if (hasDropout) x5 = dropout.call(x5);
        return [x1, x2, x3, x4, x5];
    }
}

/// <summary>What a decoder ends in.</summary>
public enum DecoderHeads
{
    /// <summary>One segmentation head <c>out_conv</c> (V-Net).</summary>
    Segmentation,
    /// <summary>A regression head <c>out_conv</c> (tanh) and a segmentation head <c>out_conv2</c> (SASNet, SASSNet).</summary>
    SdmAndSegmentation,
}

/// <summary>
/// A V-Net decoder (paper Eq. 3; the official <c>Decoder3</c> / <c>Decoder2</c>) starting at encoder level
/// <see cref="StartLevel"/>: 5, the full high-level decoder from the bottleneck x5 (<c>block_five_up</c>, then
/// <c>block_six</c> …); 4, SASNet's low-level decoder from x4 (<c>block_six</c> …); 3, the Table 9 variant from x3
/// (<c>block_seven</c> …). Each level: up-sample ×2 (halving the channels), add the encoder's skip, convolve (3, 3, 2, 1
/// convolutions at levels 4 … 1). Dropout3d(0.5) before the heads in training.
/// Shapes: encoder features x1 … x_StartLevel → per head (B, Classes, X, Y, Z).
/// </summary>
public sealed class VNetDecoder : nn.Module<IReadOnlyList<Tensor>, (Tensor Segmentation, Tensor? Sdm)>
{
    private readonly UpsamplingBlock? block_five_up, block_six_up;
    private readonly ConvBlock? block_six;
    private readonly ConvBlock block_seven, block_eight, block_nine;
    private readonly UpsamplingBlock block_seven_up, block_eight_up;
    private readonly Conv3d out_conv;
    private readonly Conv3d? out_conv2;
    private readonly Dropout3d dropout = nn.Dropout3d(0.5);
    private readonly bool hasDropout;
    private readonly DecoderHeads heads;

    /// <summary>Builds the decoder.</summary>
    /// <param name="config">Architecture.</param>
    /// <param name="startLevel">5 (high-level), 4 or 3 (low-level).</param>
    /// <param name="heads">Which heads it ends in.</param>
    /// <param name="keepUnusedFiveUp">Also build <c>block_five_up</c> when it is never run, as the official <c>Decoder2</c> does (see <see cref="ModelConfig.KeepOfficialUnusedBlock"/>).</param>
    public VNetDecoder(ModelConfig config, int startLevel, DecoderHeads heads, bool keepUnusedFiveUp = false) : base(startLevel == 5 ? "Decoder3" : "Decoder2")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (startLevel is < 3 or > 5) throw new ArgumentOutOfRangeException(nameof(startLevel), startLevel, "a decoder starts at level 5, 4 or 3");
        StartLevel = startLevel;
        hasDropout = config.HasDropout;
        this.heads = heads;
        long f = config.BaseFilters;
        var norm = config.Normalization;
        if (startLevel == 5 || keepUnusedFiveUp) block_five_up = new UpsamplingBlock(16 * f, 8 * f, config);
        if (startLevel >= 4)
        {
            block_six = new ConvBlock(3, 8 * f, 8 * f, norm);
            block_six_up = new UpsamplingBlock(8 * f, 4 * f, config);
        }
        block_seven = new ConvBlock(3, 4 * f, 4 * f, norm);
        block_seven_up = new UpsamplingBlock(4 * f, 2 * f, config);
        block_eight = new ConvBlock(2, 2 * f, 2 * f, norm);
        block_eight_up = new UpsamplingBlock(2 * f, f, config);
        block_nine = new ConvBlock(1, f, f, norm);
        out_conv = nn.Conv3d(f, config.Classes, 1);
        if (heads == DecoderHeads.SdmAndSegmentation) out_conv2 = nn.Conv3d(f, config.Classes, 1);
        RegisterComponents();
    }

    /// <summary>Encoder level the decoder starts from (5 high, 4 or 3 low).</summary>
    public int StartLevel { get; }

    /// <summary>
    /// Segmentation logits (B, Classes, X, Y, Z) and, with <see cref="DecoderHeads.SdmAndSegmentation"/>, the tanh
    /// regression output (B, Classes, X, Y, Z) whose channel 1 (channel 0 with one class) is the signed-distance prediction.
    /// </summary>
    public override (Tensor Segmentation, Tensor? Sdm) forward(IReadOnlyList<Tensor> features)
    {
        var x9 = DecodeTo(features, 1);
        if (hasDropout) x9 = dropout.call(x9);
        if (heads == DecoderHeads.Segmentation) return (out_conv.call(x9), null);
        return (out_conv2!.call(x9), out_conv.call(x9).tanh());
    }

    /// <summary>
    /// The decoder's features after the convolution block at <paramref name="stopLevel"/>, for looking inside it
    /// (Fig. 8): 4 block_six (1/8 of the input size), 3 block_seven (1/4), 2 block_eight (1/2), 1 block_nine (full size,
    /// what the heads read). From encoder features x1 … x_StartLevel (as <see cref="VNetEncoder"/> returns them).
    /// Returns (B, f·2^(level−1), X/2^(level−1), Y/2^(level−1), Z/2^(level−1)).
    /// </summary>
    public Tensor DecodeTo(IReadOnlyList<Tensor> features, int stopLevel)
    {
        ArgumentNullException.ThrowIfNull(features);
        int first = Math.Min(StartLevel, 4);
        if (stopLevel < 1 || stopLevel > first)
            throw new ArgumentOutOfRangeException(nameof(stopLevel), stopLevel, $"a decoder that starts at level {StartLevel} has convolution blocks at levels {first} … 1");
        if (features.Count < StartLevel)
            throw new ArgumentException($"a decoder that starts at level {StartLevel} needs encoder features x1 … x{StartLevel}, got {features.Count}", nameof(features));
        var x = StartLevel switch
        {
            5 => block_five_up!.call(features[4]) + features[3],
            4 => features[3],
            _ => features[2],
        };
        if (StartLevel >= 4)
        {
            var x6 = block_six!.call(x);
            if (stopLevel == 4) return x6;
            x = block_six_up!.call(x6) + features[2];
        }
        var x7 = block_seven.call(x);
        if (stopLevel == 3) return x7;
        var x8 = block_eight.call(block_seven_up.call(x7) + features[1]);
        if (stopLevel == 2) return x8;
        return block_nine.call(block_eight_up.call(x8) + features[0]);
    }

    /// <summary>Official name of the convolution block at a level: 4 "block_six" … 1 "block_nine".</summary>
    public static string BlockName(int level) => level switch
    {
        4 => nameof(block_six),
        3 => nameof(block_seven),
        2 => nameof(block_eight),
        1 => nameof(block_nine),
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "decoder levels are 4 … 1"),
    };
}

/// <summary>
/// Base of the flat V-Nets (<see cref="VNet"/>, <see cref="SassNetModel"/>): a <see cref="VNetEncoder"/> and a
/// high-level <see cref="VNetDecoder"/> whose blocks are registered directly on the model — <c>block_one</c> …
/// <c>block_nine</c>, <c>out_conv</c>(2) — as the official <c>vnet.py</c> / <c>vnet_sdf.py</c> name them, so their
/// state dicts load by name.
/// </summary>
public abstract class FlatVNet<TOutput> : nn.Module<Tensor, TOutput>
{
    /// <summary>Builds the encoder and decoder and registers their blocks flat.</summary>
    protected FlatVNet(string name, ModelConfig config, DecoderHeads heads) : base(name)
    {
        Config = config.Validate();
        Encoder = new VNetEncoder(Config);
        Decoder = new VNetDecoder(Config, 5, heads);
        // Every block under its official name; the parameterless dropout layers stay with the encoder and decoder (see train).
        foreach (var (blockName, block) in Encoder.named_children().Concat(Decoder.named_children()))
            if (blockName != "dropout") register_module(blockName, block);
    }

    /// <summary>The architecture.</summary>
    public ModelConfig Config { get; }

    /// <summary>The encoder (its blocks are this model's <c>block_one</c> … <c>block_five</c>).</summary>
    public VNetEncoder Encoder { get; }

    /// <summary>The decoder (its blocks are this model's <c>block_five_up</c> … <c>out_conv</c>).</summary>
    public VNetDecoder Decoder { get; }

    /// <summary>The encoder and decoder hold the dropout layers, which are not registered here: pass the mode on to them.</summary>
    public override void train(bool on = true)
    {
        base.train(on);
        Encoder.train(on);
        Decoder.train(on);
    }

    /// <summary>Blocks are registered explicitly in the constructor; the encoder and decoder are not members of their own.</summary>
    protected override void RegisterComponents() { }

    /// <summary>Runs encoder and decoder: segmentation logits and (with two heads) the tanh output.</summary>
    protected (Tensor Segmentation, Tensor? Sdm) Run(Tensor input)
    {
        ModelConfig.ValidatePatch(input.shape);
        return Decoder.call(Encoder.call(input));
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Encoder.Dispose();
            Decoder.Dispose();
        }
        base.Dispose(disposing);
    }
}
