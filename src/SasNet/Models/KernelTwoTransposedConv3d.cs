using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SasNet.Models;

/// <summary>
/// <c>nn.ConvTranspose3d(Cin, Cout, kernel_size: 2, stride: 2)</c> computed as one matrix product and a
/// depth-to-space shuffle. With kernel = stride the output blocks do not overlap: output voxel (2x+i, 2y+j, 2z+k)
/// of channel o is bias[o] + Σ_c input[c, x, y, z]·weight[c, o, i, j, k]. That is a 1×1×1 convolution to 8·Cout
/// channels followed by a rearrangement, which libtorch's CPU GEMM runs much faster than its transposed-convolution
/// kernel. The parameters are those of ConvTranspose3d (<c>weight</c> (Cin, Cout, 2, 2, 2), <c>bias</c> (Cout)),
/// initialised the same way, so state dicts are interchangeable. Shapes: (B, Cin, X, Y, Z) → (B, Cout, 2X, 2Y, 2Z).
/// </summary>
public sealed class KernelTwoTransposedConv3d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    /// <summary>Creates the layer with PyTorch's ConvTranspose3d initialisation.</summary>
    public KernelTwoTransposedConv3d(long inChannels, long outChannels) : base("ConvTranspose3d")
    {
        weight = new Parameter(empty([inChannels, outChannels, 2, 2, 2]));
        bias = new Parameter(empty(outChannels));
        // PyTorch's ConvTranspose3d.reset_parameters: fan-in is weight.size(1)·k³ = Cout·8 for a transposed convolution.
        using (no_grad())
        {
            nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
            double bound = 1 / Math.Sqrt(outChannels * 8);
            nn.init.uniform_(bias, -bound, bound);
        }
        RegisterComponents();
    }

    /// <summary>(Cin, Cout, 2, 2, 2), as ConvTranspose3d's.</summary>
    public Parameter Weight => weight;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        if (input.ndim != 5 || input.size(1) != weight.size(0))
            throw new ArgumentException($"expected (B, {weight.size(0)}, X, Y, Z), got [{string.Join(", ", input.shape)}]", nameof(input));
        long b = input.size(0), cin = weight.size(0), cout = weight.size(1);
        long x = input.size(2), y = input.size(3), z = input.size(4);
        using var scope = NewDisposeScope();
        // (Cin, Cout·8) ← (Cin, Cout, 2, 2, 2); then (B, Cout·8, X·Y·Z) = Wᵀ · input per sample.
        var columns = weight.reshape(cin, cout * 8).t();
        var product = columns.matmul(input.reshape(b, cin, x * y * z));
        // (B, Cout, i, j, k, X, Y, Z) → (B, Cout, X, i, Y, j, Z, k) → (B, Cout, 2X, 2Y, 2Z).
        var shuffled = product.view(b, cout, 2, 2, 2, x, y, z).permute(0, 1, 5, 2, 6, 3, 7, 4).reshape(b, cout, 2 * x, 2 * y, 2 * z);
        return shuffled.add(bias.view(1, cout, 1, 1, 1)).MoveToOuterDisposeScope();
    }
}
