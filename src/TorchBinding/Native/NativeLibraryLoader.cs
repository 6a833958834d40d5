using System.Reflection;
using System.Runtime.InteropServices;

namespace TorchBinding.Native;

/// <summary>
/// Finds the native shim (<c>libtorch_shim.so</c>) for the binding: the directory named by
/// <c>TORCH_SHIM_DIR</c>, the application folder, this assembly's folder, then
/// <c>artifacts/native/</c> in any parent folder (a source checkout built by environment/setup.sh).
/// </summary>
internal static class NativeLibraryLoader
{
    internal const string ShimName = "torch_shim";
    private const string ShimFile = "libtorch_shim.so";
    private static int registered;

    internal static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == ShimName ? LoadFirst(Candidates()) : IntPtr.Zero;

    /// <summary>Loads the first candidate path that exists, or explains what was tried and how to fix it.</summary>
    internal static IntPtr LoadFirst(IEnumerable<string> candidates)
    {
        var tried = new List<string>();
        string? loadError = null;
        foreach (var candidate in candidates)
        {
            tried.Add(candidate);
            if (!File.Exists(candidate)) continue;
            try
            {
                return NativeLibrary.Load(candidate);
            }
            catch (DllNotFoundException e)
            {
                // The shim exists but a dependency (libtorch itself) did not load: say so precisely.
                loadError = $"{candidate} exists but could not be loaded: {e.Message}";
            }
        }
        throw new DllNotFoundException(
            (loadError ?? $"the native torch shim ({ShimFile}) was not found") +
            ". Build it with `bash environment/setup.sh` (needs Debian's libtorch-dev, or Torch_DIR pointing at " +
            "a libtorch), or set TORCH_SHIM_DIR to the folder that holds it. Searched: " + string.Join(", ", tried));
    }

    private static IEnumerable<string> Candidates()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("TORCH_SHIM_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment)) yield return Path.Combine(fromEnvironment, ShimFile);
        yield return Path.Combine(AppContext.BaseDirectory, ShimFile);
        var assemblyDirectory = Path.GetDirectoryName(typeof(NativeLibraryLoader).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDirectory))
        {
            yield return Path.Combine(assemblyDirectory, ShimFile);
            for (var dir = new DirectoryInfo(assemblyDirectory); dir != null; dir = dir.Parent)
                yield return Path.Combine(dir.FullName, "artifacts", "native", ShimFile);
        }
    }
}
