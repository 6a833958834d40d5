using SasNet.Geometry;

namespace SasNet.Geometry.Tests;

public class DistanceTests
{
    private static readonly Spacing3[] Spacings = [Spacing3.Unit, new(0.7, 1.3, 2.5), new(3, 0.5, 1)];

    [Fact]
    public void ToBackgroundMatchesBruteForceOnRandomMasksAndSpacings()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 150; trial++)
        {
            var shape = BruteForce.RandomShape(random, 9);
            var spacing = Spacings[trial % Spacings.Length];
            var mask = BruteForce.RandomMask(random, shape, random.NextDouble());
            var expected = BruteForce.DistanceToSites(shape, spacing, i => mask[i] == 0);
            var actual = EuclideanDistance.ToBackground(mask, shape, spacing);
            for (int i = 0; i < shape.Count; i++)
            {
                if (double.IsPositiveInfinity(expected[i])) Assert.True(float.IsPositiveInfinity(actual[i]));
                else Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, expected[i]),
                    $"trial {trial} shape {shape} spacing {spacing} voxel {i}: expected {expected[i]}, got {actual[i]}");
            }
        }
    }

    [Fact]
    public void ToNearestSiteBatchIsIndependentPerSampleAndMatchesBruteForce()
    {
        var random = new Random(5);
        var shape = new Shape3(6, 7, 8);
        var spacing = new Spacing3(1, 2, 0.5);
        const int Batch = 3;
        var sites = new byte[Batch * shape.Count];
        // Sample 1 has no site at all: distances stay infinite and must not leak from samples 0 or 2.
        BruteForce.RandomMask(random, shape, 0.05).CopyTo(sites, 0);
        BruteForce.RandomMask(random, shape, 0.02).CopyTo(sites, 2 * shape.Count);
        var actual = EuclideanDistance.ToNearestSiteBatch(sites, Batch, shape, spacing);
        for (int b = 0; b < Batch; b++)
        {
            int start = b * shape.Count;
            var expected = BruteForce.DistanceToSites(shape, spacing, i => sites[start + i] != 0);
            for (int i = 0; i < shape.Count; i++)
            {
                if (double.IsPositiveInfinity(expected[i])) Assert.True(float.IsPositiveInfinity(actual[start + i]));
                else Assert.Equal(expected[i], actual[start + i], 4);
            }
        }
    }

    [Fact]
    public void BallDistanceMapIsDistanceToItsCentre()
    {
        // Single background voxel at the centre: distance to it is the analytic radius function.
        var shape = new Shape3(41, 37, 29);
        var spacing = new Spacing3(0.8, 1.1, 1.7);
        var mask = new byte[shape.Count];
        Array.Fill(mask, (byte)1);
        (int cx, int cy, int cz) = (20, 18, 14);
        mask[shape.Index(cx, cy, cz)] = 0;
        var distances = EuclideanDistance.ToBackground(mask, shape, spacing);
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                for (int z = 0; z < shape.Z; z++)
                {
                    double expected = Math.Sqrt(Math.Pow((x - cx) * spacing.X, 2) + Math.Pow((y - cy) * spacing.Y, 2) + Math.Pow((z - cz) * spacing.Z, 2));
                    Assert.True(Math.Abs(expected - distances[shape.Index(x, y, z)]) <= 1e-6 * Math.Max(1, expected));
                }
    }

    [Fact]
    public void InsideOfBallDistanceIsRadiusMinusDepthWithinHalfAVoxel()
    {
        var shape = new Shape3(31, 31, 31);
        const double Radius = 12;
        var mask = new byte[shape.Count];
        for (int x = 0; x < 31; x++)
            for (int y = 0; y < 31; y++)
                for (int z = 0; z < 31; z++)
                    if (Math.Sqrt((x - 15) * (x - 15) + (y - 15) * (y - 15) + (z - 15) * (z - 15)) <= Radius)
                        mask[shape.Index(x, y, z)] = 1;
        var distances = EuclideanDistance.ToBackground(mask, shape, Spacing3.Unit);
        for (int x = 0; x < 31; x++)
            for (int y = 0; y < 31; y++)
                for (int z = 0; z < 31; z++)
                {
                    double r = Math.Sqrt((x - 15) * (x - 15) + (y - 15) * (y - 15) + (z - 15) * (z - 15));
                    if (r > Radius) continue;
                    // Nearest background voxel lies just outside the sphere: radius − r < d ≤ radius − r + 1.
                    double d = distances[shape.Index(x, y, z)];
                    Assert.InRange(d, Radius - r - 1e-6, Radius - r + 1.0 + 1e-6);
                }
        // The nearest background voxel to the centre is at offset (12, 1, 0): 145 is the smallest sum of squares above 144.
        Assert.Equal(Math.Sqrt(145), distances[shape.Index(15, 15, 15)], 5);
    }

    [Fact]
    public void EdgeCasesEmptyFullAndSingleVoxel()
    {
        var shape = new Shape3(4, 1, 3);
        Assert.All(EuclideanDistance.ToBackground(new byte[shape.Count], shape, Spacing3.Unit), d => Assert.Equal(0f, d));
        var full = Enumerable.Repeat((byte)1, shape.Count).ToArray();
        Assert.All(EuclideanDistance.ToBackground(full, shape, Spacing3.Unit), d => Assert.True(float.IsPositiveInfinity(d)));

        var single = new Shape3(1, 1, 1);
        Assert.Equal(0f, EuclideanDistance.ToNearestSite([1], single, Spacing3.Unit)[0]);
        Assert.True(float.IsPositiveInfinity(EuclideanDistance.ToNearestSite([0], single, Spacing3.Unit)[0]));
    }

    [Fact]
    public void BadArgumentsThrowSpecificArgumentExceptions()
    {
        var shape = new Shape3(2, 2, 2);
        var error = Assert.Throws<ArgumentException>(() => EuclideanDistance.ToBackground(new byte[7], shape, Spacing3.Unit));
        Assert.Contains("needs 8 values, got 7", error.Message);
        error = Assert.Throws<ArgumentException>(() => EuclideanDistance.ToBackground(new byte[8], shape, new Spacing3(1, 0, 1)));
        Assert.Contains("spacing must be positive", error.Message);
        error = Assert.Throws<ArgumentException>(() => EuclideanDistance.ToBackgroundBatch(new byte[8], 0, shape, Spacing3.Unit));
        Assert.Contains("batch size", error.Message);
        Assert.Throws<ArgumentException>(() => EuclideanDistance.ToBackground(new byte[0], new Shape3(0, 2, 2), Spacing3.Unit));
        Assert.Throws<ArgumentException>(() => EuclideanDistance.ToBackground(new byte[8], shape, new Spacing3(1, double.NaN, 1)));
    }
}
