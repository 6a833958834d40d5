using static TorchSharp.torch;

namespace SasNet.Models;

/// <summary>
/// V-Net (Milletari et al. 2016) as in the UA-MT / SASSNet / MC-Net <c>vnet.py</c>: encoder stages of 1, 2, 3, 3, 3
/// convolutions (f … 16f channels), transposed-conv decoder 3, 3, 2, 1 with additive skips, Dropout3d(0.5) on the
/// bottleneck and before the head in training when <see cref="ModelConfig.HasDropout"/>, and a 1×1×1 head
/// <c>out_conv</c>. State-dict names are those of the PyTorch model (<c>block_one.conv.0.weight</c>, …,
/// <c>out_conv.bias</c>). The baseline "V-Net" rows of Tables 1–3.
/// Shapes: (B, InChannels, X, Y, Z) → logits (B, Classes, X, Y, Z); X, Y, Z multiples of 16.
/// </summary>
public sealed class VNet : FlatVNet<Tensor>
{
    /// <summary>Builds the network; <see cref="ModelConfig.Branches"/> and the low-decoder settings are ignored.</summary>
    public VNet(ModelConfig? config = null) : base(nameof(VNet), config ?? ModelConfig.VNet, DecoderHeads.Segmentation) { }

    /// <summary>Logits (B, Classes, X, Y, Z).</summary>
    public override Tensor forward(Tensor input) => Run(input).Segmentation;
}
