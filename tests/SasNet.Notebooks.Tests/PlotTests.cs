using System.Text.Json.Nodes;
using SasNet.Geometry;
using SasNet.Plots.Builders;
using SasNet.Plots.Figures;
using SasNet.Plots.Meshes;

namespace SasNet.Notebooks.Tests;

/// <summary>Small synthetic organ-like cases for figure tests.</summary>
public static class Phantom
{
    /// <summary>An ellipsoid-ish blob with a bump, on a noisy background; label = blob; prediction = shifted blob.</summary>
    public static (Volume<float> Image, Volume<byte> Label, Volume<byte> Prediction) Case(int sizeX = 64, int sizeY = 64, int sizeZ = 48)
    {
        var shape = new Shape3(sizeX, sizeY, sizeZ);
        var image = new Volume<float>(shape);
        var label = new Volume<byte>(shape);
        var prediction = new Volume<byte>(shape);
        var random = new Random(7);
        bool Inside(double x, double y, double z, double shift)
        {
            double u = (x - sizeX * 0.5 - shift) / (sizeX * 0.28), v = (y - sizeY * 0.5) / (sizeY * 0.22), w = (z - sizeZ * 0.5) / (sizeZ * 0.3);
            double bump = 0.25 * Math.Exp(-((u - 0.6) * (u - 0.6) + v * v) * 4);
            return u * u + v * v + w * w < 1 + bump;
        }
        for (int x = 0; x < sizeX; x++)
        for (int y = 0; y < sizeY; y++)
        for (int z = 0; z < sizeZ; z++)
        {
            bool organ = Inside(x, y, z, 0);
            label[x, y, z] = organ ? (byte)1 : (byte)0;
            prediction[x, y, z] = Inside(x, y, z, sizeX * 0.04) ? (byte)1 : (byte)0;
            image[x, y, z] = (organ ? 0.8f : 0.2f) + 0.1f * (float)random.NextDouble() + 0.002f * z;
        }
        return (image, label, prediction);
    }
}

public sealed class PlotTests
{
    [Fact]
    public void Figure_json_follows_the_plotly_schema_and_escapes_script_ends()
    {
        var figure = new Figure().Add(new ScatterTrace { Name = "</script><b>", X = new double[] { 1, 2 }, Y = new[] { 3.5, double.NaN }, Mode = "lines" });
        figure.Layout.Title = "curves";
        figure.Layout.YAxisAt(2).Title = "metric";
        var json = figure.ToJson();
        Assert.DoesNotContain("</script>", json);
        var parsed = JsonNode.Parse(json)!;
        Assert.Equal("scatter", parsed["data"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("[3.5,null]", parsed["data"]![0]!["y"]!.ToJsonString());
        Assert.Equal("curves", parsed["layout"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("metric", parsed["layout"]!["yaxis2"]!["title"]!["text"]!.GetValue<string>());
        Assert.Null(parsed["data"]![0]!["opacity"]); // unset properties are left to plotly's defaults
        Assert.False(parsed["config"]!["displaylogo"]!.GetValue<bool>());

        var html = figure.ToHtml();
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("https://cdn.plot.ly/plotly-2.35.2.min", html);
        Assert.Contains("requirejs.config", html);
    }

    [Fact]
    public void Typed_arrays_are_base64_with_shape()
    {
        var node = JsonNode.Parse(new Figure().Add(new HeatmapTrace { Z = DataArray.UInt8(new byte[] { 1, 2, 3, 4, 5, 6 }, 2, 3) }).ToJson())!;
        var z = node["data"]![0]!["z"]!;
        Assert.Equal("u1", z["dtype"]!.GetValue<string>());
        Assert.Equal("2,3", z["shape"]!.GetValue<string>());
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, Convert.FromBase64String(z["bdata"]!.GetValue<string>()));
    }

    [Fact]
    public void Marching_tetrahedra_gives_a_closed_outward_surface_of_a_sphere()
    {
        int n = 32;
        var field = new Volume<float>(new Shape3(n, n, n));
        for (int x = 0; x < n; x++) for (int y = 0; y < n; y++) for (int z = 0; z < n; z++)
            field[x, y, z] = 10f - MathF.Sqrt((x - 15.5f) * (x - 15.5f) + (y - 15.5f) * (y - 15.5f) + (z - 15.5f) * (z - 15.5f));
        var mesh = MarchingTetrahedra.Extract(field, 0f); // sphere of radius 10
        double expectedVolume = 4.0 / 3 * Math.PI * 1000, expectedArea = 4 * Math.PI * 100;
        Assert.InRange(mesh.SignedVolume(), expectedVolume * 0.97, expectedVolume * 1.01);
        Assert.InRange(mesh.Area(), expectedArea * 0.97, expectedArea * 1.10);
        // Closed and manifold: every edge is shared by exactly two triangles, in opposite directions.
        var directed = new HashSet<(int, int)>();
        for (int t = 0; t < mesh.TriangleCount; t++)
        for (int e = 0; e < 3; e++)
            Assert.True(directed.Add((mesh.Triangles[3 * t + e], mesh.Triangles[3 * t + (e + 1) % 3])), "edge used twice in one direction");
        Assert.All(directed, edge => Assert.Contains((edge.Item2, edge.Item1), directed));
    }

    [Fact]
    public void Mask_surface_touching_the_border_is_closed_and_in_physical_units()
    {
        var mask = new Volume<byte>(new Shape3(10, 10, 10), new Spacing3(2, 1, 1));
        for (int x = 0; x < 10; x++) for (int y = 0; y < 4; y++) for (int z = 0; z < 10; z++) mask[x, y, z] = 1;
        var surface = MaskSurface.Extract(mask, new MaskSurfaceOptions { SmoothingIterations = 0 });
        Assert.True(surface.Mesh.SignedVolume() > 0);
        var xs = surface.Mesh.Coordinates(0);
        Assert.True(xs.Max() > 17, "x is scaled by the 2 mm spacing");
    }

    [Fact]
    public void Surface_figure_of_a_large_case_is_decimated_below_two_megabytes()
    {
        var (_, label, prediction) = Phantom.Case(160, 160, 96);
        var figure = SurfaceComparison.Create(label, prediction);
        var html = figure.ToHtml();
        Assert.True(html.Length < 2_000_000, $"surface figure HTML is {html.Length:N0} bytes");
        Assert.Equal(2, figure.Data.Count);
        Assert.All(figure.Data, t => Assert.IsType<Mesh3dTrace>(t));
    }

    [Fact]
    public void Side_by_side_surfaces_draw_the_same_box_at_the_same_scale()
    {
        var (_, label, _) = Phantom.Case(40, 32, 24);
        // A prediction far smaller than the label: per-scene data extents would zoom the two scenes differently.
        var prediction = new Volume<byte>(label.Shape, label.Spacing);
        for (int x = 18; x < 22; x++) for (int y = 14; y < 18; y++) for (int z = 10; z < 14; z++) prediction[x, y, z] = 1;
        var figure = SurfaceComparison.Create(label, prediction, new SurfaceComparisonOptions { Arrangement = SurfaceArrangement.SideBySide });
        var json = JsonNode.Parse(figure.ToJson())!["layout"]!;
        foreach (var scene in new[] { "scene", "scene2" })
        {
            Assert.Equal("manual", json[scene]!["aspectmode"]!.GetValue<string>());
            Assert.Equal(1.0, json[scene]!["aspectratio"]!["x"]!.GetValue<double>(), 6);
            Assert.Equal(0.8, json[scene]!["aspectratio"]!["y"]!.GetValue<double>(), 6);
            Assert.Equal(0.6, json[scene]!["aspectratio"]!["z"]!.GetValue<double>(), 6);
            Assert.Equal(39.5, json[scene]!["xaxis"]!["range"]![1]!.GetValue<double>(), 6);
        }
        Assert.Equal(json["scene"]!["camera"]!.ToJsonString(), json["scene2"]!["camera"]!.ToJsonString());
    }

    [Fact]
    public void Slice_viewer_has_one_step_per_slice_and_stays_small()
    {
        var (image, label, prediction) = Phantom.Case(120, 120, 88);
        var figure = SliceViewer.Create(image, label, prediction, axis: 2);
        Assert.Equal(3, figure.Data.Count);
        var steps = figure.Layout.Sliders![0].Steps;
        Assert.Equal(64, steps.Count); // 88 slices sampled down to MaxSlices
        var html = figure.ToHtml();
        Assert.True(html.Length < 2_000_000, $"slice viewer HTML is {html.Length:N0} bytes");

        var filled = SliceViewer.Create(image, label, null, axis: 0, new SliceViewerOptions { Overlay = OverlayStyle.Fill, MaxSlices = 200 });
        Assert.Equal(2, filled.Data.Count);
        Assert.Equal(120, filled.Layout.Sliders![0].Steps.Count);
    }

    [Fact]
    public void Curves_bars_and_tables_build()
    {
        var iterations = Enumerable.Range(0, 200).Select(i => (double)i).ToArray();
        var curves = TrainingCurves.Create(
        [
            new CurveSeries("loss", iterations, iterations.Select(i => Math.Exp(-i / 50)).ToArray()),
            new CurveSeries("Dice", iterations, iterations.Select(i => 1 - Math.Exp(-i / 40)).ToArray(), Panel: 2),
        ], new TrainingCurvesOptions { Smoothing = 0.9 });
        Assert.Equal(4, curves.Data.Count);
        Assert.Equal(2, curves.Layout.Grid!.Rows);
        // Resizing for PNG export copies the layout through JSON; the second panel's axes must survive.
        var copy = JsonNode.Parse(curves.Clone().ToJson())!;
        Assert.Equal("x", copy["layout"]!["xaxis2"]!["matches"]!.GetValue<string>());
        Assert.Equal("metric", copy["layout"]!["yaxis2"]!["title"]!["text"]!.GetValue<string>());

        var bars = BarCharts.Grouped(["High", "Low", "Both"], [new BarSeries("Dice", [0.8, 0.82, 0.85], [0.02, 0.03, 0.01])], "Branches", "Dice");
        var barJson = JsonNode.Parse(bars.ToJson())!;
        Assert.Equal("group", barJson["layout"]!["barmode"]!.GetValue<string>());
        Assert.Equal("data", barJson["data"]![0]!["error_y"]!["type"]!.GetValue<string>());
        // Value labels ride on a text trace in the bar's offset group, at value + error, so error bars never cover them.
        var labels = barJson["data"]![1]!;
        Assert.Equal("text", labels["mode"]!.GetValue<string>());
        Assert.Equal(barJson["data"]![0]!["offsetgroup"]!.GetValue<string>(), labels["offsetgroup"]!.GetValue<string>());
        Assert.Equal("group", barJson["layout"]!["scattermode"]!.GetValue<string>());
        Assert.Equal([0.82, 0.85, 0.86], labels["y"]!.AsArray().Select(v => Math.Round(v!.GetValue<double>(), 6)).ToArray());
        Assert.Equal(["0.80", "0.82", "0.85"], labels["text"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray());
        Assert.True(barJson["layout"]!["yaxis"]!["range"]![1]!.GetValue<double>() > 0.86, "the y range leaves room above the highest label");
        // The legend stands right of the plot, away from the title.
        Assert.True(barJson["layout"]!["legend"]!["x"]!.GetValue<double>() > 1);

        var table = new PaperComparisonTable("Table 1", ["Dice %", "Jaccard %", "HD95", "ASD"])
            .Add("SASNet (8 labeled)", [89.62, 81.33, 6.59, 1.89], [71.2, 58.1, 12.3, 3.2])
            .Add("V-Net (16 labeled)", new double?[] { 86.03, 76.06, 14.26, 3.51 }, null);
        var html = table.ToHtml();
        Assert.Contains("paper (LA, full scale, GPU)", html);
        Assert.Contains("this run (phantoms, quick scale)", html);
        Assert.Contains("89.62", html);
        Assert.Contains("—", html);
        Assert.Equal("table", table.ToFigure().Data[0].Type);
    }
}
