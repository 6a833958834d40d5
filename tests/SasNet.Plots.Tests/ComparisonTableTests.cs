using SasNet.Geometry;
using SasNet.Plots.Tables;

namespace SasNet.Plots.Tests;

/// <summary>The kit's one results table and its renderer (text and HTML), and the paper-beside-run builder on it.</summary>
public class ComparisonTableTests
{
    private static MetricsTable SampleTable() => SasNet.Testing.SampleMetrics.Table();

    [Fact]
    public void PerCaseTextIsAlignedWithSummaryAndNote()
    {
        string text = ComparisonTable.PerCase(SampleTable()).ToString();
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("LA test", lines[0]);
        Assert.StartsWith("case", lines[1]);
        Assert.Contains("90.00", lines[3]);
        Assert.Contains("empty pred → 0", lines[5]);
        Assert.Contains("mean ± std (n=3)", text);
        Assert.Contains("56.67 ± ", text);
        // Numeric columns are right-aligned: the Dice column ends at the same position in every row.
        int end = lines[1].IndexOf("Dice (%)", StringComparison.Ordinal) + "Dice (%)".Length;
        Assert.Equal("90.00", lines[3][(end - 5)..end]);
        Assert.Equal(" 0.00", lines[5][(end - 5)..end]);
        Assert.Contains("included in the mean", lines[^1]);
    }

    [Fact]
    public void PerCaseHtmlIsATableWithEncodedText()
    {
        string html = ComparisonTable.PerCase(SampleTable()).ToHtml();
        Assert.StartsWith("<table", html);
        Assert.Contains("<caption", html);
        Assert.Contains("<td style=\"border-top:1px solid #888;padding:3px 8px;text-align:left\">mean &#177; std (n=3)</td>", html);
        Assert.Equal(5, html.Split("<tr>").Length - 1);      // header + 3 cases + summary
    }

    [Fact]
    public void ComparisonTablePutsPaperAndRunSideBySide()
    {
        var comparison = ComparisonTable.ForSegmentation("LA, 8 labeled")
            .AddRow("paper (LA, full scale, GPU)", 89.62, 81.33, 6.59, 1.89)
            .AddSeparator()
            .AddRow("this run (phantoms, quick scale)", SampleTable());
        string text = comparison.ToString();
        Assert.Contains("paper (LA, full scale, GPU)", text);
        Assert.Contains("89.62", text);
        Assert.Contains("56.67 ± ", text);
        Assert.Contains("HD95 (voxels)", text);
        Assert.Contains("<th", comparison.ToHtml());
        Assert.Equal(2, comparison.Rows.Count);

        var generic = new ComparisonTable(null, "params (M)", "GMACs").AddRow("SASNet (paper)", 11.26, 67.31).AddRow("ours", 11.52, double.NaN);
        Assert.Contains("—", generic.ToString());
        Assert.Throws<ArgumentException>(() => generic.AddRow("bad", 1.0));
        Assert.Throws<ArgumentException>(() => generic.AddRow("run", SampleTable()));
    }
}

public sealed class PaperComparisonTableTests
{
    private static PaperComparisonTable Table() =>
        new PaperComparisonTable("Table 1 <LA>", ["Dice %", "Jaccard %", "HD95", "ASD"])
            .Add("SASNet (8 labeled)", [89.62, 81.33, 6.59, 1.89], [71.2, 58.1, 12.3, 3.2])
            .Add("V-Net (16 labeled)", new double?[] { 86.03, 76.06, 14.26, 3.51 }, null);

    [Fact]
    public void HtmlIsATableWithBothSourcesPerRow()
    {
        var html = Table().ToHtml();
        Assert.StartsWith("<table", html);
        Assert.Contains("<caption", html);
        Assert.Contains("Table 1 &lt;LA&gt;", html); // text is encoded
        Assert.Contains("paper (LA, full scale, GPU)", html);
        Assert.Contains("this run (phantoms, quick scale)", html);
        Assert.Contains("89.62", html);
        Assert.Contains("—", html); // this run has no V-Net row
        Assert.Equal(1 + 2 * 2, System.Text.RegularExpressions.Regex.Count(html, "<tr")); // header + 2 lines per method
    }

    [Fact]
    public void PlainTextListsTheSameNumbers()
    {
        var text = Table().ToString();
        Assert.DoesNotContain("<td", text);
        Assert.Contains("SASNet (8 labeled)", text);
        Assert.Contains("14.26", text);
        Assert.Throws<ArgumentException>(() => Table().Add("short", [1.0], null));
    }

    [Fact]
    public void ASpreadFollowsEachOfThisRunsValues()
    {
        var table = new PaperComparisonTable("spread", ["Dice %", "HD95"])
            .Add("SASNet", new double?[] { 89.62, 6.59 }, new double?[] { 88.10, 5.20 }, new double?[] { 0.84, 1.25 });
        var html = table.ToHtml();
        Assert.Contains("88.10<span style=\"font-weight:400;color:#57606a\"> ± 0.84</span>", html);
        Assert.Contains("5.20<span style=\"font-weight:400;color:#57606a\"> ± 1.25</span>", html);
        Assert.DoesNotContain("89.62<span", html); // the paper's numbers have no spread
        Assert.Contains("88.10 ± 0.84", table.ToString());
        Assert.Throws<ArgumentException>(() => table.Add("short spread", new double?[] { 1, 2 }, new double?[] { 1, 2 }, new double?[] { 0.1 }));
    }

    [Fact]
    public void ItIsBuiltOnTheOneComparisonTable()
    {
        var table = Table().ToTable();
        Assert.Equal(("method", "source"), (table.GroupHeader, table.LabelHeader));
        Assert.Equal(4, table.Rows.Count);
        Assert.Equal([true, false, true, false], table.Rows.Select(r => r.Reference));
        Assert.Equal(["SASNet (8 labeled)", "SASNet (8 labeled)", "V-Net (16 labeled)", "V-Net (16 labeled)"], table.Rows.Select(r => r.Group));
        Assert.True(double.IsNaN(table.Rows[3].Values[0]));        // this run has no V-Net row
        Assert.Equal(table.ToHtml(), Table().ToHtml());
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(table.ToHtml(), "rowspan=\"2\""));   // one name cell per method
        Assert.Single(Table().ToString().Split('\n'), line => line.Contains("SASNet (8 labeled)", StringComparison.Ordinal));
    }
}
