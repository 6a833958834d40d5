using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace SasNet.Runtime;

/// <summary>
/// Process-wide settings the kit makes before libtorch runs its first kernel, and a clear error when TorchSharp's
/// native libraries cannot be loaded.
/// <para>
/// oneDNN 3.7 inside TorchSharp's libtorch 2.10 computes wrong convolution gradients with its AVX2 and AVX-512 kernels on
/// the virtual AMD EPYC (Zen 5) machines this kit is developed on: input, weight and bias gradients of 3×3×3
/// convolutions off by 1e-3 to 60 % of their scale, NaN in some runs, different between 1 and 2 threads, measured against
/// float64 and against Debian's PyTorch 1.13 on the same data (EngineCorrectnessTests). Forward passes are right, and
/// so are the AVX and SSE4.1 kernels. Training with wrong gradients silently diverges, so on x86-64 the kit caps oneDNN
/// at AVX (<c>ONEDNN_MAX_CPU_ISA=AVX</c>) unless the variable is already set; set it to <c>ALL</c> to lift the cap on a
/// machine where <c>EngineCorrectnessTests</c> pass without it. oneDNN reads the variable once, before its first
/// kernel, so it is set in the native environment when this assembly loads.
/// </para>
/// </summary>
public static class TorchRuntime
{
    /// <summary>The oneDNN variable that caps its instruction set.</summary>
    public const string OneDnnIsaVariable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>What <see cref="ApplyProcessSettings"/> did, for logs and benchmarks.</summary>
    public static string OneDnnIsaNote { get; private set; } = "";

#pragma warning disable CA2255 // The settings must be in place before any kit code runs a libtorch kernel.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void ApplyProcessSettings()
    {
        if (!OperatingSystem.IsLinux()) return;
        var existing = Environment.GetEnvironmentVariable(OneDnnIsaVariable);
        if (!string.IsNullOrEmpty(existing))
        {
            OneDnnIsaNote = $"{OneDnnIsaVariable}={existing} (set by the user)";
            return;
        }
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        // .NET keeps its own copy of the environment on Unix: the native one that oneDNN reads needs libc's setenv.
        setenv(OneDnnIsaVariable, CappedIsa, 0);
        Environment.SetEnvironmentVariable(OneDnnIsaVariable, CappedIsa);
        OneDnnIsaNote = $"{OneDnnIsaVariable}={CappedIsa} (oneDNN's AVX2/AVX-512 convolution gradients are wrong on some x86-64 machines; set {OneDnnIsaVariable}=ALL to lift)";
    }

    /// <summary>The instruction set oneDNN is capped at by default.</summary>
    public const string CappedIsa = "AVX";

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int setenv(string name, string value, int overwrite);

    /// <summary>
    /// Loads TorchSharp's native libraries now, so that a missing or incompatible library is reported with what failed
    /// and what to run, instead of as a type-initialisation error at the first tensor. Returns libtorch's version.
    /// </summary>
    public static string EnsureLoaded()
    {
        try
        {
            return torch.__version__;
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException)
        {
            var root = e;
            while (root.InnerException is not null) root = root.InnerException;
            throw new InvalidOperationException(
                $"TorchSharp's native libraries could not be loaded: {root.Message}. " +
                "On Debian 12 (libstdc++ from GCC 12) run `bash environment/setup.sh`, which marks the GLIBCXX_3.4.32 requirement " +
                "of libLibTorchSharp.so in the NuGet cache as weak (see the README); elsewhere check that the TorchSharp-cpu package restored.", e);
        }
    }
}
