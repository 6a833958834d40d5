using SasNet.Geometry;
using SasNet.Plots.Meshes;

namespace SasNet.Plots.Tests;

public sealed class MeshTests
{
    [Fact]
    public void MarchingTetrahedraGivesAClosedOutwardSurfaceOfASphere()
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
    public void MaskSurfaceTouchingTheBorderIsClosedAndInPhysicalUnits()
    {
        var mask = new Volume<byte>(new Shape3(10, 10, 10), new Spacing3(2, 1, 1));
        for (int x = 0; x < 10; x++) for (int y = 0; y < 4; y++) for (int z = 0; z < 10; z++) mask[x, y, z] = 1;
        var surface = MaskSurface.Extract(mask, new MaskSurfaceOptions { SmoothingIterations = 0 });
        Assert.True(surface.Mesh.SignedVolume() > 0);
        Assert.True(surface.Mesh.Coordinates(0).Max() > 17, "x is scaled by the 2 mm spacing");
    }

    [Fact]
    public void MaskSurfaceDownsamplesUntilItFitsTheTriangleBudget()
    {
        var (_, label, _) = Phantoms.LargeOrgan();
        var full = MaskSurface.Extract(label, new MaskSurfaceOptions { MaxTriangles = int.MaxValue, SmoothingIterations = 0 });
        var small = MaskSurface.Extract(label, new MaskSurfaceOptions { MaxTriangles = 20_000, SmoothingIterations = 0 });
        Assert.Equal(1, full.DownsampleFactor);
        Assert.True(small.DownsampleFactor > 1);
        Assert.True(small.Mesh.TriangleCount <= 20_000, $"{small.Mesh.TriangleCount} triangles");
        // Coarser, but the same organ: enclosed volumes agree within a few percent.
        Assert.InRange(small.Mesh.SignedVolume() / full.Mesh.SignedVolume(), 0.9, 1.1);
    }
}
