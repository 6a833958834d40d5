using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SasNet.Experiments;

namespace SasNet.Reports.Tests;

/// <summary>The notebooks of the repository as their JSON holds them: code cells only.</summary>
public static partial class RepositoryNotebooks
{
    public static string Folder =>
        Path.Combine(KitPaths.RepositoryRoot() ?? throw new InvalidOperationException("tests run outside the source checkout"), "notebooks");

    public static IEnumerable<object[]> Names() =>
        Directory.GetFiles(Folder, "*.ipynb").Order(StringComparer.Ordinal).Select(p => new object[] { Path.GetFileName(p) });

    /// <summary>The code cells of a notebook: their tags and their source joined into one text.</summary>
    public static IReadOnlyList<(IReadOnlyList<string> Tags, string Source)> CodeCells(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name)));
        var cells = new List<(IReadOnlyList<string>, string)>();
        foreach (var cell in document.RootElement.GetProperty("cells").EnumerateArray())
        {
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            var tags = cell.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("tags", out var t)
                ? t.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
            var source = cell.GetProperty("source");
            var text = source.ValueKind == JsonValueKind.Array ? string.Concat(source.EnumerateArray().Select(l => l.GetString())) : source.GetString() ?? "";
            cells.Add((tags, text));
        }
        return cells;
    }

    [GeneratedRegex("""^\s*var\s+(?<name>\w+)\s*=\s*"(?<value>[^"]*)"\s*;""", RegexOptions.Multiline)]
    public static partial Regex StringSwitch();
}

public partial class NotebookSwitchesTests
{
    [GeneratedRegex("""^\s*var\s+Seeds\s*=\s*(?<value>\d+)\s*;""", RegexOptions.Multiline)]
    private static partial Regex SeedsSwitch();

    [Theory]
    [MemberData(nameof(RepositoryNotebooks.Names), MemberType = typeof(RepositoryNotebooks))]
    public void ParametersCellDeclaresTheFiveSwitchesAndTheKitTakesThem(string notebook)
    {
        var cells = RepositoryNotebooks.CodeCells(notebook);
        var parameters = Assert.Single(cells, c => c.Tags.Contains("parameters")).Source;
        var switches = RepositoryNotebooks.StringSwitch().Matches(parameters).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
        Assert.Equal(["Scale", "Dataset", "DataRoot", "Device"], switches.Keys);
        Assert.Equal("Phantoms", switches["Dataset"]);
        Assert.Equal("", switches["DataRoot"]);
        var seeds = SeedsSwitch().Match(parameters);
        Assert.True(seeds.Success, $"{notebook}: the parameters cell declares no `var Seeds = <number>;`");

        Assert.Single(cells, c => c.Source.Contains("new PaperNotebook(Scale, Dataset, DataRoot, Device, Seeds)", StringComparison.Ordinal));
        // The defaults are valid switches.
        var kit = new PaperNotebook(switches["Scale"], switches["Dataset"], switches["DataRoot"], switches["Device"],
            int.Parse(seeds.Groups["value"].Value, CultureInfo.InvariantCulture));
        Assert.Equal("paper (LA, full scale, GPU)", kit.PaperLabel);
    }

    [Theory]
    [MemberData(nameof(RepositoryNotebooks.Names), MemberType = typeof(RepositoryNotebooks))]
    public void CodeCellsTakeThePapersNumbersFromTheLibrary(string notebook)
    {
        var code = string.Join("\n", RepositoryNotebooks.CodeCells(notebook).Select(c => c.Source));
        // A row typed into a notebook shows as its Dice and Jaccard side by side; Table 11 as its parameter or FLOP counts.
        var typed = PaperTables.All.SelectMany(t => t.Rows)
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Metrics.Dice:0.00}, {r.Metrics.Jaccard:0.00}"))
            .Concat(PaperTables.Table11.SelectMany(c => new[] { c.ParametersM, c.Gflops }).Select(v => v.ToString("0.00", CultureInfo.InvariantCulture)))
            .Distinct()
            .Where(number => code.Contains(number, StringComparison.Ordinal))
            .ToList();
        Assert.Empty(typed);
    }
}
