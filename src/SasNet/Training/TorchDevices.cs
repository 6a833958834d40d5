using TorchSharp;
using static TorchSharp.torch;

namespace SasNet.Training;

/// <summary>Turns a configuration's device name into a TorchSharp device, with a clear error when it cannot be used.</summary>
public static class TorchDevices
{
    /// <summary>Checks that <paramref name="name"/> ("cpu", "cuda", "cuda:N") is well formed; null when it is, else the problem.</summary>
    public static string? Problem(string name)
    {
        if (string.Equals(name, "cpu", StringComparison.OrdinalIgnoreCase)) return null;
        if (string.Equals(name, "cuda", StringComparison.OrdinalIgnoreCase)) return null;
        if (name.StartsWith("cuda:", StringComparison.OrdinalIgnoreCase) && int.TryParse(name.AsSpan(5), out var index) && index >= 0) return null;
        return $"device '{name}' is not one of cpu, cuda, cuda:N";
    }

    /// <summary>
    /// The device; for CUDA, throws <see cref="InvalidOperationException"/> saying why it cannot be used (the CPU build
    /// of libtorch is loaded, or no GPU is visible, or the index is out of range).
    /// </summary>
    public static Device Resolve(string name)
    {
        if (Problem(name) is { } problem) throw new ArgumentException(problem, nameof(name));
        if (string.Equals(name, "cpu", StringComparison.OrdinalIgnoreCase)) return CPU;
        if (!cuda.is_available())
            throw new InvalidOperationException(
                $"device '{name}' was asked for, but the libtorch this kit loaded has no usable CUDA backend (it is the CPU build, or no GPU is visible). " +
                "Build the kit with the CUDA backend (dotnet build -p:TorchBackend=cuda, which needs the TorchSharp-cuda-linux package) on a machine with an NVIDIA GPU, or use --device cpu.");
        var device = torch.device(name.ToLowerInvariant());
        int count = cuda.device_count();
        if (device.index >= count)
            throw new InvalidOperationException($"device '{name}' was asked for, but only {count} CUDA device(s) are visible");
        return device;
    }
}
