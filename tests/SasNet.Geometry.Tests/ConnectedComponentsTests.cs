using SasNet.Geometry;

namespace SasNet.Geometry.Tests;

public class ConnectedComponentsTests
{
    /// <summary>Reference labelling by repeated relaxation: each voxel takes the minimum seed index among its connected neighbours until stable.</summary>
    private static int[] ComponentRoots(byte[] mask, Shape3 shape, int reach)
    {
        var root = new int[shape.Count];
        for (int i = 0; i < root.Length; i++) root[i] = mask[i] != 0 ? i : -1;
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int x = 0; x < shape.X; x++)
                for (int y = 0; y < shape.Y; y++)
                    for (int z = 0; z < shape.Z; z++)
                    {
                        int i = shape.Index(x, y, z);
                        if (root[i] < 0) continue;
                        for (int dx = -1; dx <= 1; dx++)
                            for (int dy = -1; dy <= 1; dy++)
                                for (int dz = -1; dz <= 1; dz++)
                                {
                                    int steps = Math.Abs(dx) + Math.Abs(dy) + Math.Abs(dz);
                                    if (steps == 0 || steps > reach || !shape.Contains(x + dx, y + dy, z + dz)) continue;
                                    int j = shape.Index(x + dx, y + dy, z + dz);
                                    if (root[j] >= 0 && root[j] < root[i]) { root[i] = root[j]; changed = true; }
                                }
                    }
        }
        return root;
    }

    [Theory]
    [InlineData(Connectivity.Face6, 1)]
    [InlineData(Connectivity.Full26, 3)]
    public void LabelsAndLargestComponentMatchReference(Connectivity connectivity, int reach)
    {
        var random = new Random((int)connectivity);
        for (int trial = 0; trial < 100; trial++)
        {
            var shape = BruteForce.RandomShape(random, 9);
            var mask = BruteForce.RandomMask(random, shape, random.NextDouble() * 0.5);
            var roots = ComponentRoots(mask, shape, reach);
            var labels = new int[shape.Count];
            int count = ConnectedComponents.Label(mask, shape, connectivity, labels);
            var distinctRoots = roots.Where(r => r >= 0).Distinct().OrderBy(r => r).ToList();
            Assert.Equal(distinctRoots.Count, count);
            for (int i = 0; i < shape.Count; i++)
                Assert.Equal(roots[i] < 0 ? 0 : distinctRoots.IndexOf(roots[i]) + 1, labels[i]);

            var expectedLargest = new byte[shape.Count];
            if (distinctRoots.Count > 0)
            {
                // Largest size; ties go to the component whose first voxel comes first in C order.
                int best = distinctRoots.OrderByDescending(r => roots.Count(v => v == r)).ThenBy(r => r).First();
                for (int i = 0; i < shape.Count; i++) if (roots[i] == best) expectedLargest[i] = 1;
            }
            Assert.Equal(expectedLargest, ConnectedComponents.LargestComponent(mask, shape, connectivity));
        }
    }

    [Fact]
    public void DiagonalNeighboursAreSeparateUnderFace6AndJoinedUnderFull26()
    {
        var shape = new Shape3(3, 3, 3);
        var mask = new byte[27];
        mask[shape.Index(0, 0, 0)] = 1;
        mask[shape.Index(1, 1, 1)] = 1;
        mask[shape.Index(2, 2, 2)] = 1;
        var labels = new int[27];
        Assert.Equal(3, ConnectedComponents.Label(mask, shape, Connectivity.Face6, labels));
        Assert.Equal(1, ConnectedComponents.Label(mask, shape, Connectivity.Full26, labels));
        Assert.Equal(mask, ConnectedComponents.LargestComponent(mask, shape));
        Assert.Equal(1, ConnectedComponents.LargestComponent(mask, shape, Connectivity.Face6).Sum(v => v));
    }

    [Fact]
    public void LargeSnakeDoesNotOverflowAndEmptyStaysEmpty()
    {
        var shape = new Shape3(64, 64, 64);
        var mask = Enumerable.Repeat((byte)1, shape.Count).ToArray();
        Assert.Equal(shape.Count, ConnectedComponents.LargestComponent(mask, shape, Connectivity.Face6).Sum(v => (int)v));
        Assert.All(ConnectedComponents.LargestComponent(new byte[8], new Shape3(2, 2, 2)), v => Assert.Equal(0, v));
        Assert.Throws<ArgumentException>(() => ConnectedComponents.LargestComponent(new byte[8], new Shape3(2, 2, 2), (Connectivity)18));
    }
}
