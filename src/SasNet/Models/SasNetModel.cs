using TorchBinding;
using static TorchBinding.torch;

namespace SasNet.Models;

/// <summary>Which decoder an output came from.</summary>
public enum Branch
{
    /// <summary>Low-level decoder (from x4 or x3).</summary>
    Low = 0,
    /// <summary>High-level decoder (from the bottleneck x5).</summary>
    High = 1,
}

/// <summary>
/// The two heads of one decoder. <see cref="Logits"/>: segmentation logits (B, Classes, X, Y, Z);
/// <see cref="Tanh"/>: regression output in (−1, 1), (B, Classes, X, Y, Z), channel 1 being the signed-distance
/// prediction for SASNet (channel 0 for SASSNet's single channel). Disposing frees both tensors.
/// </summary>
public sealed record BranchOutput(Branch Branch, Tensor Logits, Tensor Tanh) : IDisposable
{
    /// <summary>The SDM prediction (B, X, Y, Z): channel 1 of <see cref="Tanh"/> when it has two channels, else channel 0.</summary>
    public Tensor SdmPrediction() => Tanh.select(1, Tanh.size(1) > 1 ? 1 : 0);

    /// <summary>Frees both tensors.</summary>
    public void Dispose()
    {
        Logits.Dispose();
        Tanh.Dispose();
    }
}

/// <summary>
/// Forward result of <see cref="SasNetModel"/>: the outputs of the decoders present, in the order
/// low, high (<see cref="Branches"/>). Disposing frees every tensor.
/// </summary>
public sealed class SasNetOutput : IDisposable
{
    /// <summary>Wraps the outputs.</summary>
    public SasNetOutput(BranchOutput? low, BranchOutput? high)
    {
        if (low is null && high is null) throw new ArgumentException("at least one branch output is needed");
        Low = low;
        High = high;
        Branches = new[] { low, high }.Where(b => b is not null).Select(b => b!).ToArray();
    }

    /// <summary>Low-level decoder output, if the model has that decoder.</summary>
    public BranchOutput? Low { get; }

    /// <summary>High-level decoder output, if the model has that decoder.</summary>
    public BranchOutput? High { get; }

    /// <summary>The outputs present, low first.</summary>
    public IReadOnlyList<BranchOutput> Branches { get; }

    /// <summary>Frees every tensor.</summary>
    public void Dispose()
    {
        Low?.Dispose();
        High?.Dispose();
    }
}

/// <summary>
/// SASNet's Dual-branch Hierarchical Network (paper §3.1, Eqs. 1–3; SPEC §2.1): a shared V-Net encoder
/// (<c>encoder</c>), a high-level decoder from the bottleneck x5 (<c>decoder3</c>, the full V-Net decoder)
/// and a low-level decoder from x4 (<c>decoder2</c>; from x3 with <see cref="ModelConfig.LowDecoderDepth"/> = 3,
/// Table 9). Each decoder ends in a regression head <c>out_conv</c> (Classes channels, tanh) and a segmentation
/// head <c>out_conv2</c> (Classes logits). The module names are those of the official <c>SASNet.py</c>, so an
/// exported state dict loads by name (strictly with <see cref="ModelConfig.KeepOfficialUnusedBlock"/>).
/// With <see cref="DecoderBranches.High"/> only it is a V-Net with an SDM head.
/// Shapes: (B, InChannels, X, Y, Z) → per branch logits and tanh (B, Classes, X, Y, Z); X, Y, Z multiples of 16.
/// </summary>
public sealed class SasNetModel : nn.Module<Tensor, SasNetOutput>
{
    /// <summary>Builds the network from a configuration (default: <see cref="ModelConfig.SasNet"/>).</summary>
    public SasNetModel(ModelConfig? config = null) : base("SASNet")
    {
        Config = (config ?? ModelConfig.SasNet).Validate();
        int encoderLevels = Config.HasHighDecoder ? 5 : Config.LowDecoderDepth;
        Encoder = register_module("encoder", new SasNetEncoder(Config, encoderLevels));
        if (Config.HasLowDecoder)
            LowDecoder = register_module("decoder2", new SasNetDecoder(Config, Config.LowDecoderDepth, Config.KeepOfficialUnusedBlock));
        if (Config.HasHighDecoder)
            HighDecoder = register_module("decoder3", new SasNetDecoder(Config, 5, false));
    }

    /// <summary>The architecture.</summary>
    public ModelConfig Config { get; }

    /// <summary>Shared encoder (<c>encoder</c>).</summary>
    public SasNetEncoder Encoder { get; }

    /// <summary>Low-level decoder (<c>decoder2</c>), or null.</summary>
    public SasNetDecoder? LowDecoder { get; }

    /// <summary>High-level decoder (<c>decoder3</c>), or null.</summary>
    public SasNetDecoder? HighDecoder { get; }

    /// <summary>Runs the encoder and the decoders present.</summary>
    public override SasNetOutput forward(Tensor input)
    {
        ModelConfig.ValidatePatch(input.shape);
        var features = Encoder.forward(input);
        try
        {
            var low = LowDecoder?.Decode(features, Branch.Low);
            var high = HighDecoder?.Decode(features, Branch.High);
            return new SasNetOutput(low, high);
        }
        finally
        {
            foreach (var f in features) f.Dispose();
        }
    }

    /// <summary>
    /// Encoder features x1 … x_k (k = 5 with the high-level decoder, else the low decoder's depth), for
    /// inspection such as Fig. 8. The caller disposes them.
    /// </summary>
    public Tensor[] EncoderFeatures(Tensor input) => Encoder.forward(input);
}

/// <summary>SASNet's shared encoder (paper Eqs. 1–2): <c>block_one</c> … <c>block_five</c> with the down-sampling blocks.</summary>
public sealed class SasNetEncoder : nn.Module<Tensor, Tensor[]>
{
    private readonly EncoderStages stages;

    internal SasNetEncoder(ModelConfig config, int levels) : base("Encoder") =>
        stages = new EncoderStages(config, levels, (n, m) => register_module(n, m));

    /// <summary>Number of stages built.</summary>
    public int Levels => stages.Levels;

    /// <summary>x1 … x_Levels, each (B, f·2^(k−1), X/2^(k−1), Y/2^(k−1), Z/2^(k−1)); owned by the caller.</summary>
    public override Tensor[] forward(Tensor input) => stages.Forward(input, training);
}

/// <summary>One SASNet decoder (paper Eq. 3) with its regression head <c>out_conv</c> (tanh) and segmentation head <c>out_conv2</c>.</summary>
public sealed class SasNetDecoder : nn.Module<IReadOnlyList<Tensor>, (Tensor Logits, Tensor Tanh)>
{
    private readonly DecoderStages stages;

    internal SasNetDecoder(ModelConfig config, int startLevel, bool registerUnusedFiveUp) : base(startLevel == 5 ? "Decoder3" : "Decoder2")
    {
        stages = new DecoderStages(config, startLevel, registerUnusedFiveUp,
            [("out_conv", config.Classes, true), ("out_conv2", config.Classes, false)], (n, m) => register_module(n, m));
    }

    /// <summary>Encoder level the decoder starts from (5 high, 4 or 3 low).</summary>
    public int StartLevel => stages.StartLevel;

    /// <summary>Decodes encoder features (not disposed) into (logits, tanh), each (B, Classes, X, Y, Z).</summary>
    public override (Tensor Logits, Tensor Tanh) forward(IReadOnlyList<Tensor> input)
    {
        var outputs = stages.Forward(input, training);
        return (outputs[1], outputs[0]);
    }

    /// <summary>
    /// The decoder's intermediate features, for looking inside it (Fig. 8): runs from encoder features x1 … x5 (as
    /// <see cref="SasNetModel.EncoderFeatures"/> returns them; not disposed) up to and including the convolution block
    /// at <paramref name="level"/>: 4 block_six (1/8 of the input size), 3 block_seven (1/4), 2 block_eight (1/2),
    /// 1 block_nine (full size, what the heads read). Returns (B, f·2^(level−1), X/2^(level−1), Y/2^(level−1), Z/2^(level−1)).
    /// </summary>
    public Tensor DecodeTo(IReadOnlyList<Tensor> features, int level) => stages.DecodeTo(features, level);

    /// <summary>Official name of the convolution block at a level (4 "block_six" … 1 "block_nine").</summary>
    public static string BlockName(int level) => DecoderStages.BlockName(level);

    internal BranchOutput Decode(IReadOnlyList<Tensor> features, Branch branch)
    {
        var (logits, tanh) = forward(features);
        return new BranchOutput(branch, logits, tanh);
    }
}
