using static TorchSharp.torch;

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
/// prediction for SASNet (channel 0 for SASSNet's single channel). The tensors belong to the dispose scope the forward ran in.
/// </summary>
public sealed record BranchOutput(Branch Branch, Tensor Logits, Tensor Tanh)
{
    /// <summary>The SDM prediction (B, X, Y, Z): channel 1 of <see cref="Tanh"/> when it has two channels, else channel 0.</summary>
    public Tensor SdmPrediction() => Tanh.select(1, Tanh.size(1) > 1 ? 1 : 0);

}

/// <summary>
/// Forward result of <see cref="SasNetModel"/>: the outputs of the decoders present, in the order
/// low, high (<see cref="Branches"/>). The tensors belong to the dispose scope the forward ran in.
/// </summary>
public sealed class SasNetOutput
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
}

/// <summary>
/// SASNet's Dual-branch Hierarchical Network (paper §3.1, Eqs. 1–3; docs/method.md): a shared V-Net encoder
/// (<c>encoder</c>), a high-level decoder from the bottleneck x5 (<c>decoder3</c>, the full V-Net decoder) and a
/// low-level decoder from x4 (<c>decoder2</c>; from x3 with <see cref="ModelConfig.LowDecoderDepth"/> = 3, Table 9).
/// Each decoder ends in a regression head <c>out_conv</c> (Classes channels, tanh) and a segmentation head
/// <c>out_conv2</c> (Classes logits). The names are those of the official <c>SASNet.py</c>, so its state dicts load by
/// name (strictly with <see cref="ModelConfig.KeepOfficialUnusedBlock"/>). With <see cref="DecoderBranches.High"/>
/// only it is a V-Net with an SDM head.
/// Shapes: (B, InChannels, X, Y, Z) → per branch logits and tanh (B, Classes, X, Y, Z); X, Y, Z multiples of 16.
/// </summary>
public sealed class SasNetModel : nn.Module<Tensor, SasNetOutput>
{
    private readonly VNetEncoder encoder;
    private readonly VNetDecoder? decoder2;
    private readonly VNetDecoder? decoder3;

    /// <summary>Builds the network from a configuration (default: <see cref="ModelConfig.SasNet"/>).</summary>
    public SasNetModel(ModelConfig? config = null) : base("SASNet")
    {
        Config = (config ?? ModelConfig.SasNet).Validate();
        encoder = new VNetEncoder(Config, Config.HasHighDecoder ? 5 : Config.LowDecoderDepth);
        if (Config.HasLowDecoder) decoder2 = new VNetDecoder(Config, Config.LowDecoderDepth, DecoderHeads.SdmAndSegmentation, Config.KeepOfficialUnusedBlock);
        if (Config.HasHighDecoder) decoder3 = new VNetDecoder(Config, 5, DecoderHeads.SdmAndSegmentation);
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public ModelConfig Config { get; }

    /// <summary>Shared encoder (<c>encoder</c>).</summary>
    public VNetEncoder Encoder => encoder;

    /// <summary>Low-level decoder (<c>decoder2</c>), or null.</summary>
    public VNetDecoder? LowDecoder => decoder2;

    /// <summary>High-level decoder (<c>decoder3</c>), or null.</summary>
    public VNetDecoder? HighDecoder => decoder3;

    /// <summary>Runs the encoder and the decoders present.</summary>
    public override SasNetOutput forward(Tensor input)
    {
        ModelConfig.ValidatePatch(input.shape);
        var features = encoder.call(input);
        return new SasNetOutput(Decode(decoder2, features, Branch.Low), Decode(decoder3, features, Branch.High));
    }

    /// <summary>Encoder features x1 … x_k (k = 5 with the high-level decoder, else the low decoder's depth), for inspection such as Fig. 8.</summary>
    public Tensor[] EncoderFeatures(Tensor input) => encoder.call(input);

    private static BranchOutput? Decode(VNetDecoder? decoder, Tensor[] features, Branch branch)
    {
        if (decoder is null) return null;
        var (logits, tanh) = decoder.call(features);
        return new BranchOutput(branch, logits, tanh!);
    }
}
