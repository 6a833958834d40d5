using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace SasNet.Runtime;

/// <summary>
/// Process-wide settings the kit makes before libtorch runs its first kernel, and a clear error when TorchSharp's
/// native libraries cannot be loaded.
/// <para>
/// oneDNN 3.7 inside TorchSharp's libtorch 2.10 computes wrong convolution gradients with its AVX2 and AVX-512 kernels on
/// some x86-64 machines (virtual AMD EPYC Zen 5: input, weight and bias gradients of 3×3×3 convolutions off by 1e-3 to
/// 60 % of their scale, NaN in some runs, different between 1 and 2 threads) and right ones on others (Zen 4). Forward
/// passes are right everywhere, and so are the AVX kernels. Training with wrong gradients silently diverges, so oneDNN
/// uses the instruction set that <c>sasnet engine check</c> found right on this processor (<see cref="OneDnnIsaRecord"/>),
/// and AVX where no check has run. A user's own <c>ONEDNN_MAX_CPU_ISA</c> wins. oneDNN reads the variable once, before
/// its first kernel, so it is set in the native environment when this assembly loads.
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
        KeepFreedTensorMemory();
        var existing = Environment.GetEnvironmentVariable(OneDnnIsaVariable);
        if (!string.IsNullOrEmpty(existing))
        {
            OneDnnIsaNote = $"{OneDnnIsaVariable}={existing} (set by the user)";
            return;
        }
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        var record = OneDnnIsaRecord.ForThisMachine();
        var isa = record?.Isa ?? CappedIsa;
        // .NET keeps its own copy of the environment on Unix: the native one that oneDNN reads needs libc's setenv.
        setenv(OneDnnIsaVariable, isa, 0);
        Environment.SetEnvironmentVariable(OneDnnIsaVariable, isa);
        OneDnnIsaNote = record is null
            ? $"{OneDnnIsaVariable}={isa} (not yet checked on this processor; `sasnet engine check` tests whether oneDNN's faster kernels compute right gradients here)"
            : $"{OneDnnIsaVariable}={isa} (the fastest set whose convolution gradients `sasnet engine check` found right on this processor, {record.Checked:yyyy-MM-dd})";
    }

    /// <summary>
    /// libtorch allocates every CPU tensor with malloc. glibc serves blocks above its mmap threshold (128 KiB at first,
    /// raised dynamically up to 32 MiB) with fresh mappings and returns them on free, and trims the heap top beyond
    /// 128 KiB, so a training step that frees and reallocates the same few-MiB activations every iteration spends much
    /// of its time in page faults that zero new pages (a third of the process's CPU time was system time). Fixing the
    /// threshold at its 32 MiB maximum and trimming only above 1 GiB lets freed activations be reused: the Quick SASNet
    /// step's system time fell from 3.7 s to 0.6 s per 15 iterations and its median from 0.62 to 0.56 s.
    /// </summary>
    private static void KeepFreedTensorMemory()
    {
        const int TrimThreshold = -1, MmapThreshold = -3;
        try
        {
            mallopt(MmapThreshold, 32 << 20);
            mallopt(TrimThreshold, 1 << 30);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no mallopt): its allocator keeps its own policy.
        }
    }

    [DllImport("libc")]
    private static extern int mallopt(int parameter, int value);

    /// <summary>
    /// Whether oneDNN may use its AVX2 or wider kernels in this process: an x64 processor with AVX2, and
    /// <c>ONEDNN_MAX_CPU_ISA</c> (as the user or <see cref="ApplyProcessSettings"/> set it) not below AVX2.
    /// </summary>
    public static bool OneDnnHasAvx2
    {
        get
        {
            if (RuntimeInformation.ProcessArchitecture != Architecture.X64 || !System.Runtime.Intrinsics.X86.Avx2.IsSupported) return false;
            var isa = Environment.GetEnvironmentVariable(OneDnnIsaVariable)?.ToUpperInvariant();
            return string.IsNullOrEmpty(isa) || isa is "ALL" or "DEFAULT"
                || isa.StartsWith("AVX2", StringComparison.Ordinal) || isa.StartsWith("AVX512", StringComparison.Ordinal) || isa.StartsWith("AVX10", StringComparison.Ordinal);
        }
    }

    /// <summary>The instruction set oneDNN is capped at where no check has run.</summary>
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
