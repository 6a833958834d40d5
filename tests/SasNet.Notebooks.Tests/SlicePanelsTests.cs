using SasNet.Geometry;
using SasNet.Plots.Builders;

namespace SasNet.Notebooks.Tests;

public class SlicePanelsTests
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
    public void GridHasOneHeatmapPerPanelPlusOverlaysAndAxesPerPanel()
    {
        var values = new float[4, 5];
        var mask = new float[4, 5];
        mask[1, 1] = 1;
        var figure = SlicePanels.Grid("three panels", [
            new SlicePanel("image", values, SlicePanels.GreyScale),
            new SlicePanel("with overlay", values, "RdBu", -1, 1, Overlay: mask),
            new SlicePanel("with outline", values, SlicePanels.GreyScale, Outline: mask),
        ], columns: 2);
        var html = figure.ToHtml();
        Assert.Contains("three panels", html);
        Assert.Contains("\"yaxis3\"", html);
        Assert.Contains("contour", html);
        Assert.Throws<ArgumentException>(() => SlicePanels.Grid("empty", [], 2));
    }
}
