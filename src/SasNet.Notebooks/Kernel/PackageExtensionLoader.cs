using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;

namespace SasNet.Notebooks.Kernel;

/// <summary>
/// Loads the kernel extensions of NuGet packages a cell references, as the <c>dotnet-interactive</c> tool does:
/// after a command that added packages, every added package with an <c>interactive-extensions/dotnet</c> folder has the
/// <see cref="IKernelExtension"/> types of that folder's assemblies instantiated and loaded into the composite kernel,
/// and its <c>extension.dib</c> script, if any, run. This is how Plotly.NET.Interactive's chart formatter and the kit's
/// formatters arrive in a notebook.
/// </summary>
/// <remarks>
/// The tool keeps this logic in its own executable, which no library package exposes; this is the same contract,
/// written against the public kernel API.
/// </remarks>
public static class PackageExtensionLoader
{
    private const string ExtensionFolder = "interactive-extensions";
    private const string ExtensionScript = "extension.dib";

    /// <summary>Adds the loading middleware to <paramref name="kernel"/>.</summary>
    public static void Attach(CompositeKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var pending = new ConcurrentQueue<string>();
        var seenRoots = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var loadedAssemblies = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        kernel.RegisterForDisposal(kernel.KernelEvents.Subscribe(e =>
        {
            if (e is PackageAdded { PackageReference.PackageRoot: { Length: > 0 } root } && seenRoots.TryAdd(root, true))
                pending.Enqueue(root);
        }));

        kernel.AddMiddleware(async (command, context, next) =>
        {
            await next(command, context);
            while (pending.TryDequeue(out var root))
            {
                var folder = new DirectoryInfo(Path.Combine(root, ExtensionFolder, "dotnet"));
                if (folder.Exists) await LoadFolderAsync(kernel, folder, context, loadedAssemblies);
            }
        });
    }

    private static async Task LoadFolderAsync(CompositeKernel kernel, DirectoryInfo folder, KernelInvocationContext context,
        ConcurrentDictionary<string, bool> loadedAssemblies)
    {
        foreach (var file in folder.GetFiles("*.dll", SearchOption.TopDirectoryOnly).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var name = AssemblyName.GetAssemblyName(file.FullName).FullName;
            if (!loadedAssemblies.TryAdd(name, true)) continue;
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(file.FullName);
            var extensionTypes = assembly.ExportedTypes
                .Where(t => t is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false }
                            && typeof(IKernelExtension).IsAssignableFrom(t))
                .ToList();
            foreach (var type in extensionTypes)
            {
                try
                {
                    var extension = (IKernelExtension)Activator.CreateInstance(type)!;
                    await extension.OnLoadAsync(kernel);
                    context.Publish(new KernelExtensionLoaded(extension, context.Command));
                }
                catch (Exception e)
                {
                    context.Fail(context.Command, e, $"kernel extension {type.FullName} from {file.FullName} failed to load: {e.Message}");
                }
            }
        }
        var script = new FileInfo(Path.Combine(folder.FullName, ExtensionScript));
        if (script.Exists) await kernel.LoadAndRunInteractiveDocument(script, context.Command);
    }
}
