using System.Text.Json.Nodes;
using SasNet.Plots.Builders;
using static SasNet.Plots.Tests.ChartJson;

namespace SasNet.Plots.Tests;

public sealed class SliceViewerTests
{
    private static readonly (Geometry.Volume<float> Image, Geometry.Volume<byte> Label, Geometry.Volume<byte> Prediction) Case = Phantoms.LargeOrgan();

    [Fact]
    public void ViewerOfA96x96x64CaseHasImageAndTwoOutlinesAndOneStepPerSlice()
    {
        var chart = new ChartJson(SliceViewer.Create(Case.Image, Case.Label, Case.Prediction, axis: 2));

        Assert.Equal(["heatmap", "contour", "contour"], chart.TraceTypes);
        Assert.Equal(["image", "ground truth", "prediction"], chart.Data.Select(t => Str(t["name"])));
        Assert.Equal("Greys", Str(chart.Data[0]["colorscale"]));
        Assert.Equal("lines", Str(chart.Data[1]["contours"]!["coloring"]));
        Assert.Equal(0.5, Num(chart.Data[1]["contours"]!["start"]));
        Assert.Equal("#2ca02c", Str(chart.Data[1]["line"]!["color"]));
        Assert.Equal("#d62728", Str(chart.Data[2]["line"]!["color"]));
        Assert.Equal(2, Num(chart.Data[2]["line"]!["width"]));
        Assert.All(chart.Data.Skip(1), t => Assert.Equal("skip", Str(t["hoverinfo"])));

        var slider = chart.Layout["sliders"]![0]!;
        var steps = slider["steps"]!.AsArray();
        Assert.Equal(64, steps.Count); // every Z slice of the 64
        Assert.Equal(Enumerable.Range(0, 64).Select(z => z.ToString()), steps.Select(s => Str(s!["label"])));
        Assert.All(steps, s =>
        {
            Assert.Equal("restyle", Str(s!["method"]));
            Assert.Equal(3, s["args"]![0]!["z"]!.AsArray().Count);
            Assert.Equal([0, 1, 2], s["args"]![1]!.AsArray().Select(i => i!.GetValue<int>()));
        });
        Assert.Equal("Z = ", Str(slider["currentvalue"]!["prefix"]));

        // The viewer opens at the slice with most label, and its traces hold that slice.
        int busiest = Array.IndexOf(Phantoms.ForegroundPerSlice(Case.Label, 2), Phantoms.ForegroundPerSlice(Case.Label, 2).Max());
        Assert.Equal(busiest, slider["active"]!.GetValue<int>());
        var image = TypedArray.Decode(chart.Data[0]["z"]);
        Assert.Equal("u1", image.DType);
        Assert.Equal([96, 96], image.Shape);
        Assert.Equal(steps[busiest]!["args"]![0]!["z"]![0]!.ToJsonString(), chart.Data[0]["z"]!.ToJsonString());

        // The ground-truth outline is the label's slice, cropped with a zero border.
        var outline = TypedArray.Decode(chart.Data[1]["z"]);
        Assert.Equal(Phantoms.ForegroundPerSlice(Case.Label, 2)[busiest], (int)outline.Values.Sum());
        Assert.Equal(0, outline.Values[0]);

        Assert.Equal("x", Str(chart.Layout["yaxis"]!["scaleanchor"]));
        Assert.Equal("X", Str(chart.Layout["xaxis"]!["title"]!["text"]));
        Assert.Equal("Y", Str(chart.Layout["yaxis"]!["title"]!["text"]));
        Assert.True(chart.Text.Length < 2_000_000, $"slice viewer JSON is {chart.Text.Length:N0} bytes");
    }

    [Fact]
    public void ViewerAcrossXWithFillOverlayHasAStepPerSliceAndPhysicalPixelSteps()
    {
        var (image, label, _) = Phantoms.Organ(40, 30, 20, new Geometry.Spacing3(1, 0.5, 2));
        var chart = new ChartJson(SliceViewer.Create(image, label, null, axis: 0,
            new SliceViewerOptions { Overlay = OverlayStyle.Fill, MaxSlices = 200, Title = "filled" }));

        Assert.Equal(["heatmap", "heatmap"], chart.TraceTypes);
        Assert.Equal(0.45, Num(chart.Data[1]["opacity"]));
        Assert.Equal(40, chart.Layout["sliders"]![0]!["steps"]!.AsArray().Count);
        // Across X the plane shows Y across and Z up, each pixel as large as its voxel.
        Assert.Equal(0.5, Num(chart.Data[0]["dx"]));
        Assert.Equal(2, Num(chart.Data[0]["dy"]));
        Assert.Equal([20, 30], TypedArray.Decode(chart.Data[0]["z"]).Shape);
        Assert.Equal("Z", Str(chart.Layout["yaxis"]!["title"]!["text"]));
        Assert.Equal("filled", Str(chart.Layout["title"]!["text"]));
    }

    [Fact]
    public void ManySlicesAreSampledDownAndAnEmptyMaskSliceIsOneZero()
    {
        var (image, label, prediction) = Phantoms.Organ(24, 24, 120);
        var chart = new ChartJson(SliceViewer.Create(image, label, prediction, axis: 2, new SliceViewerOptions { MaxSlices = 50 }));
        var steps = chart.Layout["sliders"]![0]!["steps"]!.AsArray();
        Assert.Equal(50, steps.Count);
        Assert.Equal("0", Str(steps[0]!["label"]));
        Assert.Equal("119", Str(steps[^1]!["label"]));
        var firstMask = TypedArray.Decode(steps[0]!["args"]![0]!["z"]![1]);
        Assert.Equal([1, 1], firstMask.Shape);
        Assert.Equal(0, firstMask.Values.Single());
    }

    [Fact]
    public void MasksOfAnotherShapeAreRefused()
    {
        var (image, _, _) = Phantoms.Organ(10, 10, 10);
        Assert.Throws<ArgumentException>(() => SliceViewer.Create(image, new Geometry.Volume<byte>(new Geometry.Shape3(10, 10, 9))));
    }
}
