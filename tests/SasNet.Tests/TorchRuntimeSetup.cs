using System.Runtime.CompilerServices;

namespace SasNet.Tests;

internal static class TorchRuntimeSetup
{
    // Tests that call TorchSharp directly may run before any kit type is touched: load the kit's runtime settings first.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => SasNet.Runtime.TorchRuntime.EnsureLoaded();
}
