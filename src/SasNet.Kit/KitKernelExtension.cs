using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using SasNet.Geometry;
using SasNet.Plots.Tables;
using SasNet.Reports;
using SasNet.Runtime;

namespace SasNet.Kit;

/// <summary>
/// The kit's .NET Interactive kernel extension, loaded when a notebook references the <c>SasNet.Kit</c> package:
/// the kit's tables are shown as HTML tables (and as aligned text where a front end asks for plain text), and
/// <see cref="PaperNotebook.Train"/> shows one progress display per training that updates in place; and TorchSharp's
/// native libraries are loaded at once, so that a failure shows in the cell that references the kit.
/// Plotly.NET charts are drawn by Plotly.NET.Interactive's own extension, which the package depends on.
/// </summary>
public sealed class KitKernelExtension : IKernelExtension
{
    /// <inheritdoc />
    public Task OnLoadAsync(Microsoft.DotNet.Interactive.Kernel kernel)
    {
        // In a kernel TorchSharp's natives sit in the package folder, not beside the assemblies; only a call through
        // `torch` runs the loader that finds them, and a module constructed first would fail with DllNotFoundException.
        TorchRuntime.EnsureLoaded();
        FSharpCoreBinding.AcceptLoadedVersion();
        RegisterFormatters();
        PaperNotebook.ProgressDisplay = what => new NotebookProgress(what);
        return Task.CompletedTask;
    }

    /// <summary>Registers the HTML and plain-text formatters of the kit's displayable types.</summary>
    public static void RegisterFormatters()
    {
        // Every table goes through ComparisonTable's one renderer; an evaluation's metrics show case by case.
        Register<ComparisonTable>(t => t.ToHtml(), t => t.ToString());
        Register<PaperComparisonTable>(t => t.ToHtml(), t => t.ToString());
        Register<MetricsTable>(t => ComparisonTable.PerCase(t).ToHtml(), t => ComparisonTable.PerCase(t).ToString());
        Register<TrainingProgressView>(v => v.ToHtml(), v => v.ToString());
    }

    private static void Register<T>(Func<T, string> html, Func<T, string> text)
    {
        Formatter.Register<T>((value, writer) => writer.Write(html(value)), HtmlFormatter.MimeType);
        Formatter.Register<T>((value, writer) => writer.Write(text(value)), PlainTextFormatter.MimeType);
    }
}
