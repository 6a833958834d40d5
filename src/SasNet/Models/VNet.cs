using TorchBinding;
using static TorchBinding.torch;

namespace SasNet.Models;

/// <summary>
/// V-Net (Milletari et al. 2016) as in the UA-MT / SASSNet / MC-Net <c>vnet.py</c>: encoder stages of 1, 2, 3, 3, 3
/// convolutions (f … 16f channels), transposed-conv decoder 3, 3, 2, 1 with additive skips, Dropout3d(0.5) on the
/// bottleneck and before the head in training when <see cref="ModelConfig.HasDropout"/>, and a 1×1×1 head
/// <c>out_conv</c>. Module names match the PyTorch model (<c>block_one.conv.0.weight</c>, …, <c>out_conv.bias</c>), so
/// its state dict, exported to safetensors, loads by name. The baseline "V-Net" rows of Tables 1–3.
/// Shapes: (B, InChannels, X, Y, Z) → logits (B, Classes, X, Y, Z); X, Y, Z multiples of 16.
/// </summary>
public sealed class VNet : nn.Module<Tensor, Tensor>
{
    private readonly EncoderStages encoder;
    private readonly DecoderStages decoder;

    /// <summary>Builds the network; <see cref="ModelConfig.Branches"/> and the low-decoder settings are ignored.</summary>
    public VNet(ModelConfig? config = null) : base(nameof(VNet))
    {
        Config = (config ?? ModelConfig.VNet).Validate();
        encoder = new EncoderStages(Config, 5, (n, m) => register_module(n, m));
        decoder = new DecoderStages(Config, 5, false, [("out_conv", Config.Classes, false)], (n, m) => register_module(n, m));
    }

    /// <summary>The architecture.</summary>
    public ModelConfig Config { get; }

    /// <summary>Logits (B, Classes, X, Y, Z).</summary>
    public override Tensor forward(Tensor input)
    {
        ModelConfig.ValidatePatch(input.shape);
        var features = encoder.Forward(input, training);
        try { return decoder.Forward(features, training)[0]; }
        finally { foreach (var f in features) f.Dispose(); }
    }
}
