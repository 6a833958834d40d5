using System.Reflection;
using System.Text.RegularExpressions;

namespace SasNet.Notebooks.Execution;

/// <summary>
/// Handles the Polyglot-only directives of a C# cell before Roslyn sees it: checks <c>#r "file.dll"</c>
/// paths up front (for a clear message), resolves <c>#r "nuget: ..."</c> to an assembly that is already
/// provided or fails, and blanks magic commands. Lines are blanked, never removed, so that diagnostics
/// keep their cell-relative line numbers.
/// </summary>
internal sealed partial class CellPreprocessor(string notebookDirectory)
{
    private readonly Dictionary<string, string> _referencedBySimpleName = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _probeDirectories = new(StringComparer.Ordinal);

    /// <summary>Folders of DLLs referenced so far; their siblings are candidates when a dependency is loaded.</summary>
    public IReadOnlyCollection<string> ProbeDirectories => _probeDirectories;

    public PreparedCell Prepare(string source)
    {
        var lines = source.Split('\n');
        var notes = new List<string>();
        var extraReferences = new List<Assembly>();
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var lineNumber = i + 1;
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                var magic = trimmed.Split(' ', 2)[0];
                if (magic is "#!csharp" or "#!c#" or "#!C#" or "#!cs")
                    lines[i] = "";
                else if (magic is "#!time" or "#!about" or "#!lsmagic" or "#!who" or "#!whos")
                {
                    notes.Add($"line {lineNumber}: magic command '{magic}' has no effect in the headless runner and was skipped");
                    lines[i] = "";
                }
                else
                    return PreparedCell.Failed($"line {lineNumber}: magic command '{magic}' is not supported by the headless runner (only C# cells can run here)");
                continue;
            }
            if (IncludeDirective().IsMatch(line))
            {
                notes.Add($"line {lineNumber}: '{trimmed}' skipped (package sources are not used by the headless runner)");
                lines[i] = "";
                continue;
            }
            var reference = ReferenceDirective().Match(line);
            if (!reference.Success) continue;
            var target = reference.Groups["target"].Value.Trim();
            if (target.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
            {
                var package = target["nuget:".Length..].Split(',')[0].Trim();
                if (_referencedBySimpleName.ContainsKey(package))
                {
                    notes.Add($"line {lineNumber}: '#r \"nuget: {package}\"' skipped: {package} is already referenced from {_referencedBySimpleName[package]}");
                    lines[i] = "";
                }
                else if (FindLoadedAssembly(package) is { } loaded)
                {
                    notes.Add($"line {lineNumber}: '#r \"nuget: {package}\"' skipped: {package} is provided by the runner ({loaded.Location})");
                    extraReferences.Add(loaded);
                    lines[i] = "";
                }
                else
                    return PreparedCell.Failed(
                        $"line {lineNumber}: #r \"nuget: {package}\" cannot be honoured by the headless runner (it does not restore NuGet packages). " +
                        $"Reference the DLL by path instead, e.g. #r \"../artifacts/kit/{package}.dll\" (built by environment/setup.sh).");
                continue;
            }
            if (!LooksLikeFilePath(target)) continue; // e.g. #r "System.Xml": Roslyn resolves assembly names itself.
            var fullPath = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(notebookDirectory, target));
            if (!File.Exists(fullPath))
            {
                var hint = target.Replace('\\', '/').Contains("artifacts/kit", StringComparison.Ordinal)
                    ? " The kit is published there by 'bash environment/setup.sh'; run it first."
                    : "";
                return PreparedCell.Failed(
                    $"line {lineNumber}: #r \"{target}\": file not found: {fullPath} (relative paths are resolved from the notebook folder {notebookDirectory}).{hint}");
            }
            _referencedBySimpleName[Path.GetFileNameWithoutExtension(fullPath)] = fullPath;
            _probeDirectories.Add(Path.GetDirectoryName(fullPath)!);
        }
        return new PreparedCell(string.Join('\n', lines), notes, extraReferences, null);
    }

    private static bool LooksLikeFilePath(string target) =>
        target.Contains('/') || target.Contains('\\')
        || target.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
        || target.EndsWith(".exe", StringComparison.OrdinalIgnoreCase);

    private static Assembly? FindLoadedAssembly(string simpleName) =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a =>
            !a.IsDynamic && !string.IsNullOrEmpty(a.Location)
            && string.Equals(a.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("""^\s*#r\s+"(?<target>[^"]*)"\s*(//.*)?$""")]
    private static partial Regex ReferenceDirective();

    [GeneratedRegex("""^\s*#i\s+"[^"]*"\s*(//.*)?$""")]
    private static partial Regex IncludeDirective();
}

/// <summary>A cell's code after directive handling, or the reason it cannot run.</summary>
internal sealed record PreparedCell(string Code, IReadOnlyList<string> Notes, IReadOnlyList<Assembly> ExtraReferences, string? Error)
{
    public static PreparedCell Failed(string error) => new("", [], [], error);
}
