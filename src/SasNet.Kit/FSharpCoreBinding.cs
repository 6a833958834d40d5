using System.Reflection;
using System.Runtime.Loader;

namespace SasNet.Kit;

/// <summary>
/// Lets Plotly.NET run in a kernel process that already holds an older FSharp.Core of the same major version.
/// </summary>
/// <remarks>
/// Plotly.NET 6.0.0 is built against FSharp.Core 10.1.0.0, while the <c>dotnet-interactive</c> tool behind Polyglot
/// Notebooks (1.0.712001) loads its own FSharp.Core 10.0.0.0 at start. One assembly name has one version in a load
/// context, so every chart would fail with "Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'". When the
/// runtime cannot bind such a request, this hands it the FSharp.Core already loaded, if its major version is the one
/// asked for; every chart the kit draws was checked to work that way in that tool.
/// </remarks>
public static class FSharpCoreBinding
{
    private static int Installed;
    [ThreadStatic] private static bool Resolving;

    /// <summary>Installs the fallback once per process; harmless where the loaded FSharp.Core is new enough.</summary>
    public static void AcceptLoadedVersion()
    {
        if (Interlocked.Exchange(ref Installed, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += (_, requested) =>
        {
            if (Resolving || !string.Equals(requested.Name, "FSharp.Core", StringComparison.Ordinal)) return null;
            Resolving = true;
            try
            {
                // The host's own copy: already loaded, or the one its dependency list names (any version).
                var available = AssemblyLoadContext.Default.Assemblies
                                    .FirstOrDefault(a => string.Equals(a.GetName().Name, "FSharp.Core", StringComparison.Ordinal))
                                ?? TryLoadAnyVersion();
                return available?.GetName().Version?.Major == requested.Version?.Major ? available : null;
            }
            finally
            {
                Resolving = false;
            }
        };
    }

    private static Assembly? TryLoadAnyVersion()
    {
        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("FSharp.Core"));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
