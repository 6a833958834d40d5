using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace SasNet.Notebooks.Kernel;

/// <summary>
/// The kernel a notebook runs in: .NET Interactive's C# kernel inside a composite kernel, set up the way the
/// <c>dotnet-interactive</c> tool behind Polyglot Notebooks sets it up — <c>#r "nuget:"</c> and <c>#i</c>, the kernel
/// helpers (<c>display</c>, <c>Kernel</c>), <c>#!who</c>, value sharing, HTML as the default output type, and the kernel
/// extensions that referenced packages carry (<see cref="PackageExtensionLoader"/>).
/// </summary>
public static class NotebookKernel
{
    /// <summary>Name of the C# kernel, as Polyglot notebooks store it in cell metadata.</summary>
    public const string CSharpKernelName = "csharp";

    /// <summary>A new composite kernel with one C# kernel; dispose it when the notebook is done.</summary>
    public static CompositeKernel Create()
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective((kernel, references) =>
            {
                kernel.AddAssemblyReferences(references.SelectMany(r => r.AssemblyPaths));
                return Task.CompletedTask;
            })
            .UseKernelHelpers()
            .UseWho()
            .UseValueSharing();

        var composite = new CompositeKernel { DefaultKernelName = CSharpKernelName };
        composite.Add(csharp, ["c#", "C#"]);
        PackageExtensionLoader.Attach(composite);

        // As in a browser or VS Code front end: objects are shown as HTML, strings as plain text.
        Formatter.DefaultMimeType = HtmlFormatter.MimeType;
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
        return composite;
    }
}
