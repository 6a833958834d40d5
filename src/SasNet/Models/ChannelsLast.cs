using SasNet.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SasNet.Models;

/// <summary>
/// Puts a network's 3-D convolution weights in channels-last order (PyTorch's <c>channels_last_3d</c>: the channel
/// stride is 1) where that is faster. libtorch then runs oneDNN's convolutions on channels-last activations, without the
/// reorders into and out of its blocked layouts that dominate these small-channel (8–256) networks, and keeps the
/// activations channels-last from the first down-sampling on. Measured with oneDNN at AVX2 and wider (README, "Measured"):
/// a Quick SASNet step 1.5× faster, a V-Net step at 112×112×80 1.4×; capped at AVX, oneDNN has no fast channels-last
/// kernels for some of these layers (the 112×112×80 V-Net step took 65 s instead of 12), and on CUDA it is unmeasured,
/// so both keep PyTorch's default layout. One cost: libtorch's channels-last batch norm accumulates its statistics less
/// exactly, so training gradients agree with float64 to about 1e-3 of their scale instead of 1e-6 (tested in
/// ChannelsLastTests; TF32, PyTorch's default for GPU convolutions, is as coarse).
/// The values, shapes and state-dict names are unchanged; checkpoints are
/// written in C order (<see cref="Checkpoints.Safetensors"/>) and loaded by copying into these weights.
/// TorchSharp's <c>memory_format</c> has no 3-D channels-last member, so the strides are set through a permutation.
/// </summary>
public static class ChannelsLast
{
    /// <summary>Environment variable that turns the layout off (<c>0</c>), e.g. to compare with C order.</summary>
    public const string SwitchVariable = "SASNET_CHANNELS_LAST";

    /// <summary>
    /// Whether networks on <paramref name="device"/> run channels-last: on the CPU with oneDNN at AVX2 or wider, unless
    /// <see cref="SwitchVariable"/> is <c>0</c>.
    /// </summary>
    public static bool IsFasterOn(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.type == DeviceType.CPU && TorchRuntime.OneDnnHasAvx2 && Environment.GetEnvironmentVariable(SwitchVariable) != "0";
    }

    /// <summary>
    /// Re-lays every 5-D parameter of <paramref name="module"/> (and of its children) channels-last, in place, when
    /// <see cref="IsFasterOn"/> <paramref name="device"/>; call it after moving the module there and before creating its optimiser.
    /// </summary>
    public static void ApplyWhereFaster(nn.Module module, Device device)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (IsFasterOn(device)) Apply(module);
    }

    /// <summary>Re-lays every 5-D parameter of <paramref name="module"/> (and of its children) channels-last, in place, wherever it runs.</summary>
    public static void Apply(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var noGrad = no_grad();
        foreach (var parameter in module.parameters())
            if (parameter.dim() == 5)
            {
                using var reordered = Of(parameter);
                parameter.set_(reordered);
            }
    }

    /// <summary>A channels-last copy of a (N, C, X, Y, Z) tensor: the same values, channel stride 1.</summary>
    public static Tensor Of(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.permute(0, 2, 3, 4, 1).contiguous().permute(0, 4, 1, 2, 3);
    }
}
