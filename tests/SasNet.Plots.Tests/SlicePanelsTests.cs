using Plotly.NET;
using SasNet.Geometry;
using SasNet.Plots.Builders;
using static SasNet.Plots.Tests.ChartJson;

namespace SasNet.Plots.Tests;

public sealed class SlicePanelsTests
{
    [Fact]
    public void SliceIsRowsByYAndColumnsByX()
    {
        var volume = new Volume<float>(new Shape3(3, 2, 4));
        volume[2, 1, 3] = 5;
        var slice = SlicePanels.SliceZ(volume, 3, v => v);
        Assert.Equal(2, slice.GetLength(0));
        Assert.Equal(3, slice.GetLength(1));
        Assert.Equal(5, slice[1, 2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => SlicePanels.SliceZ(volume, 4, v => v));
    }

    [Fact]
    public void BusiestSliceCountsForeground()
    {
        var mask = new Volume<byte>(new Shape3(2, 2, 3));
        mask[0, 0, 1] = 1;
        mask[0, 0, 2] = 1;
        mask[1, 1, 2] = 1;
        Assert.Equal(2, SlicePanels.BusiestSlice(mask));
    }

    [Fact]
    public void GridHasAHeatmapPerPanelPlusOverlaysOnEachPanelsOwnSquareAxes()
    {
        var values = new float[4, 5];
        values[3, 4] = 7;
        var mask = new float[4, 5];
        mask[1, 1] = 1;
        var chart = new ChartJson(SlicePanels.Grid("three panels",
        [
            new SlicePanel("image", values, SlicePanels.GreyScale),
            new SlicePanel("with overlay", values, StyleParam.Colorscale.RdBu, -1, 1, Overlay: mask),
            new SlicePanel("with outline", values, SlicePanels.GreyScale, Outline: mask),
        ], columns: 2));

        Assert.Equal("three panels", Str(chart.Layout["title"]!["text"]));
        Assert.Equal(["heatmap", "heatmap", "heatmap", "heatmap", "contour"], chart.TraceTypes);
        Assert.Equal(["x", "x2", "x2", "x3", "x3"], chart.Data.Select(t => Str(t["xaxis"])));
        Assert.Equal(2, chart.Layout["grid"]!["rows"]!.GetValue<int>());
        Assert.Equal(2, chart.Layout["grid"]!["columns"]!.GetValue<int>());

        var image = TypedArray.Decode(chart.Data[0]["z"]);
        Assert.Equal("f4", image.DType);
        Assert.Equal([4, 5], image.Shape);
        Assert.Equal(7, image.Values[^1]); // row-major: [row 3, column 4] is last
        Assert.Equal("RdBu", Str(chart.Data[1]["colorscale"]));
        Assert.Equal([-1.0, 1.0], new[] { Num(chart.Data[1]["zmin"]), Num(chart.Data[1]["zmax"]) });
        Assert.False(chart.Data[0].ContainsKey("zmin")); // automatic range unless given
        Assert.Equal(0.55, Num(chart.Data[2]["opacity"]));
        Assert.Equal("#2ca02c", Str(chart.Data[4]["line"]!["color"]));

        for (int i = 1; i <= 3; i++)
        {
            string suffix = i == 1 ? "" : i.ToString();
            Assert.Equal("x" + suffix, Str(chart.Layout["yaxis" + suffix]!["scaleanchor"]));
            Assert.False(chart.Layout["xaxis" + suffix]!["showticklabels"]!.GetValue<bool>());
        }
        Assert.Equal("with outline", Str(chart.Layout["xaxis3"]!["title"]!["text"]));
        Assert.Throws<ArgumentException>(() => SlicePanels.Grid("empty", [], 2));
        Assert.Throws<ArgumentException>(() => SlicePanels.Grid("bad", [new SlicePanel("p", values, SlicePanels.GreyScale, Outline: new float[2, 2])], 1));
    }
}
