using static TorchSharp.torch;

namespace SasNet.Models;

/// <summary>
/// Puts a network's 3-D convolution weights in channels-last order (PyTorch's <c>channels_last_3d</c>: the channel
/// stride is 1). libtorch then runs oneDNN's convolutions on channels-last activations, without the reorders into and
/// out of its blocked layouts that dominate these small-channel (8–128) networks, and keeps the activations
/// channels-last from the first down-sampling on. The values, shapes and state-dict names are unchanged; checkpoints
/// are written in C order (<see cref="Checkpoints.Safetensors"/>) and loaded by copying into these weights.
/// TorchSharp's <c>memory_format</c> has no 3-D channels-last member, so the strides are set through a permutation.
/// </summary>
internal static class ChannelsLast
{
    /// <summary>Re-lays every 5-D parameter of <paramref name="module"/> (and its children) channels-last, in place.</summary>
    public static void Apply(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var parameter in module.parameters())
            if (parameter.dim() == 5)
            {
                using var reordered = Of(parameter);
                parameter.set_(reordered);
            }
    }

    /// <summary>A channels-last copy of a (N, C, X, Y, Z) tensor: the same values, channel stride 1.</summary>
    public static Tensor Of(Tensor tensor) => tensor.permute(0, 2, 3, 4, 1).contiguous().permute(0, 4, 1, 2, 3);
}
