using SasNet.Geometry;

namespace SasNet.Geometry.Tests;

public class BoundaryAndSdmTests
{
    [Fact]
    public void InnerAndSurfaceMatchBruteForceOnRandomMasks()
    {
        var random = new Random(3);
        for (int trial = 0; trial < 200; trial++)
        {
            var shape = BruteForce.RandomShape(random, 8);
            var mask = BruteForce.RandomMask(random, shape, random.NextDouble());
            Assert.Equal(BruteForce.Boundary(mask, shape, outsideIsBackground: false), Boundaries.Inner(mask, shape));
            Assert.Equal(BruteForce.Boundary(mask, shape, outsideIsBackground: true), Boundaries.Surface(mask, shape));
        }
    }

    [Fact]
    public void BorderConventionsDifferBetweenInnerAndSurface()
    {
        // A full 3×3×3 cube: no inner boundary (outside does not count), surface = the 26 outer voxels.
        var shape = new Shape3(3, 3, 3);
        var full = Enumerable.Repeat((byte)1, 27).ToArray();
        Assert.Equal(0, Boundaries.Inner(full, shape).Sum(v => v));
        var surface = Boundaries.Surface(full, shape);
        Assert.Equal(26, surface.Sum(v => v));
        Assert.Equal(0, surface[shape.Index(1, 1, 1)]);
        // A single voxel is its own surface, and its own inner boundary only when it has background neighbours.
        Assert.Equal([1], Boundaries.Surface([1], new Shape3(1, 1, 1)));
        Assert.Equal([0], Boundaries.Inner([1], new Shape3(1, 1, 1)));
    }

    [Fact]
    public void SdmMatchesDefinitionOnRandomMasks()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 80; trial++)
        {
            var shape = BruteForce.RandomShape(random, 8);
            var spacing = trial % 2 == 0 ? Spacing3.Unit : new Spacing3(1.5, 0.6, 1);
            var mask = BruteForce.RandomMask(random, shape, random.NextDouble());
            var expected = BruteForce.SignedDistanceMap(mask, shape, spacing);
            var actual = SignedDistanceMap.Compute(mask, shape, spacing);
            for (int i = 0; i < shape.Count; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5, $"trial {trial} voxel {i}: {expected[i]} vs {actual[i]}");
        }
    }

    [Fact]
    public void SdmMatchesDefinitionOnSmallBlobs()
    {
        // Blobs far from filling the grid exercise the bounding-box crop of the inside transform.
        var random = new Random(8);
        for (int trial = 0; trial < 60; trial++)
        {
            var shape = new Shape3(random.Next(6, 14), random.Next(6, 14), random.Next(4, 12));
            var spacing = trial % 3 == 0 ? new Spacing3(0.5, 1.0, 2.5) : Spacing3.Unit;
            var mask = BruteForce.RandomBlob(random, shape);
            var expected = BruteForce.SignedDistanceMap(mask, shape, spacing);
            var actual = SignedDistanceMap.Compute(mask, shape, spacing);
            for (int i = 0; i < shape.Count; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5, $"trial {trial} voxel {i}: {expected[i]} vs {actual[i]}");
        }
    }

    [Fact]
    public void SdmBatchHandlesEmptyFullAndMixedSamplesIndependently()
    {
        var shape = new Shape3(5, 6, 4);
        int n = shape.Count;
        var random = new Random(1);
        var mixed = BruteForce.RandomMask(random, shape, 0.4);
        var masks = new byte[3 * n];
        mixed.CopyTo(masks, 0);
        Array.Fill(masks, (byte)1, 2 * n, n);         // sample 1 empty, sample 2 all foreground
        var map = SignedDistanceMap.ComputeBatch(masks, 3, shape);
        var expected = BruteForce.SignedDistanceMap(mixed, shape, Spacing3.Unit);
        for (int i = 0; i < n; i++) Assert.Equal(expected[i], map[i], 5);
        for (int i = n; i < 2 * n; i++) Assert.Equal(0f, map[i]);
        for (int i = 2 * n; i < 3 * n; i++) Assert.Equal(-1f, map[i]);
    }

    [Fact]
    public void SdmOfBallIsNegativeInsidePositiveOutsideZeroOnInnerBoundary()
    {
        var shape = new Shape3(24, 24, 24);
        var mask = new byte[shape.Count];
        for (int x = 0; x < 24; x++)
            for (int y = 0; y < 24; y++)
                for (int z = 0; z < 24; z++)
                    if ((x - 12) * (x - 12) + (y - 12) * (y - 12) + (z - 12) * (z - 12) <= 49) mask[shape.Index(x, y, z)] = 1;
        var map = SignedDistanceMap.Compute(mask, shape);
        var inner = Boundaries.Inner(mask, shape);
        for (int i = 0; i < shape.Count; i++)
        {
            if (inner[i] != 0) Assert.Equal(0f, map[i]);
            else if (mask[i] != 0) Assert.InRange(map[i], -1f, -1e-6f);
            else Assert.InRange(map[i], 1e-6f, 1f);
        }
        Assert.Equal(-1f, map[shape.Index(12, 12, 12)]);   // centre is the deepest point
        Assert.Equal(1f, map.Max());                        // the farthest corner reaches +1
    }

    [Fact]
    public void SdmRejectsWrongLengths()
    {
        var error = Assert.Throws<ArgumentException>(() => SignedDistanceMap.ComputeBatch(new byte[10], 2, new Shape3(2, 2, 2)));
        Assert.Contains("needs 16 values, got 10", error.Message);
    }
}
