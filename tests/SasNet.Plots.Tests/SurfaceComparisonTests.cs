using System.Text.RegularExpressions;
using SasNet.Geometry;
using SasNet.Plots.Builders;
using SasNet.Plots.Meshes;
using Xunit.Abstractions;
using static SasNet.Plots.Tests.ChartJson;

namespace SasNet.Plots.Tests;

public sealed class SurfaceComparisonTests(ITestOutputHelper output)
{
    [Fact]
    public void LargeOrganSurfacesFitTheBudgetAndCarryConsistentMeshes()
    {
        var (_, label, prediction) = Phantoms.LargeOrgan();
        var chart = SurfaceComparison.Create(label, prediction);
        var json = new ChartJson(chart);
        long bytes = SurfaceComparison.JsonBytes(chart);
        output.WriteLine($"surface comparison of 96x96x64: {bytes:N0} bytes of JSON");
        Assert.True(bytes <= new SurfaceComparisonOptions().MaxFigureBytes && bytes < 2_000_000, $"{bytes:N0} bytes");

        Assert.Equal(["mesh3d", "mesh3d"], json.TraceTypes);
        Assert.Equal(["ground truth", "prediction"], json.Data.Select(t => Str(t["name"])));
        Assert.Equal([0.35, 0.75], json.Data.Select(t => Num(t["opacity"])));
        Assert.Equal(["#2ca02c", "#d62728"], json.Data.Select(t => Str(t["color"])));
        var note = Str(json.Layout["annotations"]![0]!["text"]);
        var reported = Regex.Matches(note, @"([\d,]+) triangles").Select(m => int.Parse(m.Groups[1].Value.Replace(",", ""))).ToArray();
        for (int t = 0; t < 2; t++)
        {
            var trace = json.Data[t];
            Assert.Equal("scene", Str(trace["scene"]));
            var x = TypedArray.Decode(trace["x"]);
            var y = TypedArray.Decode(trace["y"]);
            var z = TypedArray.Decode(trace["z"]);
            Assert.Equal("f4", x.DType);
            int vertices = x.Values.Length;
            Assert.True(vertices > 1000, $"{vertices} vertices");
            Assert.Equal(vertices, y.Values.Length);
            Assert.Equal(vertices, z.Values.Length);
            var corners = new[] { "i", "j", "k" }.Select(c => TypedArray.Decode(trace[c])).ToArray();
            Assert.All(corners, c => Assert.Equal(vertices <= ushort.MaxValue ? "u2" : "i4", c.DType));
            Assert.All(corners, c => Assert.Equal(reported[t], c.Values.Length));
            Assert.All(corners, c => Assert.True(c.Values.Max() < vertices));
            // Vertices lie inside the volume box (physical units = voxel units here).
            Assert.InRange(x.Values.Min(), -0.5, 95.5);
            Assert.InRange(z.Values.Max(), -0.5, 63.5);
        }

        // Overlaid: one scene, the box of the volume at its proportions, the same camera as before.
        var scene = json.Layout["scene"]!;
        Assert.False(json.Layout.ContainsKey("scene2"));
        Assert.Equal("manual", Str(scene["aspectmode"]));
        Assert.Equal(1.0, Num(scene["aspectratio"]!["x"]), 6);
        Assert.Equal(1.0, Num(scene["aspectratio"]!["y"]), 6);
        Assert.Equal(64.0 / 96, Num(scene["aspectratio"]!["z"]), 6);
        Assert.Equal([-0.5, 95.5], scene["xaxis"]!["range"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(1.5, Num(scene["camera"]!["eye"]!["x"]));
    }

    [Fact]
    public void ASmallBudgetSimplifiesTheSurfacesUntilTheChartFits()
    {
        var (_, label, prediction) = Phantoms.LargeOrgan();
        var generous = SurfaceComparison.Create(label, prediction);
        var tight = SurfaceComparison.Create(label, prediction, new SurfaceComparisonOptions { MaxFigureBytes = 250_000 });
        long bytes = SurfaceComparison.JsonBytes(tight);
        output.WriteLine($"tight budget: {bytes:N0} bytes");
        Assert.True(bytes <= 250_000, $"{bytes:N0} bytes");
        int Vertices(ChartJson c, int t) => TypedArray.Decode(c.Data[t]["x"]).Values.Length;
        Assert.True(Vertices(new(tight), 0) < Vertices(new(generous), 0));
    }

    [Fact]
    public void SideBySideSurfacesDrawTheSameBoxAtTheSameScale()
    {
        var (_, label, _) = Phantoms.Organ(40, 32, 24);
        // A prediction far smaller than the label: per-scene data extents would zoom the two scenes differently.
        var prediction = Phantoms.Box(label.Shape, 10, 14);
        var json = new ChartJson(SurfaceComparison.Create(label, prediction,
            new SurfaceComparisonOptions { Arrangement = SurfaceArrangement.SideBySide }));
        Assert.Equal(["scene", "scene2"], json.Data.Select(t => Str(t["scene"])));
        Assert.All(json.Data, t => Assert.Equal(1.0, Num(t["opacity"])));
        foreach (var id in new[] { "scene", "scene2" })
        {
            var scene = json.Layout[id]!;
            Assert.Equal("manual", Str(scene["aspectmode"]));
            Assert.Equal(1.0, Num(scene["aspectratio"]!["x"]), 6);
            Assert.Equal(0.8, Num(scene["aspectratio"]!["y"]), 6);
            Assert.Equal(0.6, Num(scene["aspectratio"]!["z"]), 6);
            Assert.Equal(39.5, Num(scene["xaxis"]!["range"]![1]), 6);
        }
        Assert.Equal([0.0, 0.5], json.Layout["scene"]!["domain"]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([0.5, 1.0], json.Layout["scene2"]!["domain"]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        foreach (var part in new[] { "eye", "projection" })
            Assert.Equal(json.Layout["scene"]!["camera"]![part]!.ToJsonString(), json.Layout["scene2"]!["camera"]![part]!.ToJsonString());
    }

    [Fact]
    public void ASingleMaskGivesOneSurfaceAndNoneIsRefused()
    {
        var mask = Phantoms.Box(new Shape3(12, 12, 12), 3, 9);
        Assert.Equal(["mesh3d"], new ChartJson(SurfaceComparison.Create(null, mask)).TraceTypes);
        Assert.Throws<ArgumentException>(() => SurfaceComparison.Create(null, null));
    }

    [Fact]
    public void AMeshWithManyVerticesUses32BitIndices()
    {
        // A strip of 70,000 vertices: more than 16-bit indices can address.
        int count = 70_000;
        var positions = new float[3 * count];
        for (int v = 0; v < count; v++) { positions[3 * v] = v; positions[3 * v + 1] = v % 2; }
        var triangles = Enumerable.Range(0, count - 2).SelectMany(t => new[] { t, t + 1, t + 2 }).ToArray();
        var trace = new ChartJson(SurfaceComparison.Mesh(new TriangleMesh(positions, triangles), "strip", "#123456", 1)).Data.Single();
        var i = TypedArray.Decode(trace["i"]);
        Assert.Equal("i4", i.DType);
        Assert.Equal(count - 3, i.Values.Max());
    }
}
