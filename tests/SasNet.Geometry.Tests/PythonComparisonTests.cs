using System.Globalization;
using SasNet.Geometry;
using Xunit.Abstractions;

namespace SasNet.Geometry.Tests;

/// <summary>Our geometry layer against scipy/skimage (and medpy's definitions restated with scipy).</summary>
public sealed class PythonComparisonTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sasnet-geometry-ref-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A mix of noisy and blob-like masks, some touching the border, one empty; none all-foreground.</summary>
    private static byte[] MixedMasks(Random random, int batch, Shape3 shape)
    {
        var masks = new byte[batch * shape.Count];
        for (int b = 1; b < batch; b++)
        {
            var target = masks.AsSpan(b * shape.Count, shape.Count);
            if (b % 2 == 1)
            {
                BruteForce.RandomMask(random, shape, 0.1 + 0.6 * random.NextDouble()).CopyTo(target);
                continue;
            }
            // Union of two ellipsoids with a little salt noise; centres may sit near the border.
            for (int blob = 0; blob < 2; blob++)
            {
                double cx = random.NextDouble() * shape.X, cy = random.NextDouble() * shape.Y, cz = random.NextDouble() * shape.Z;
                double rx = 2 + random.NextDouble() * shape.X / 3, ry = 2 + random.NextDouble() * shape.Y / 3, rz = 2 + random.NextDouble() * shape.Z / 3;
                for (int x = 0; x < shape.X; x++)
                    for (int y = 0; y < shape.Y; y++)
                        for (int z = 0; z < shape.Z; z++)
                        {
                            double d = Math.Pow((x - cx) / rx, 2) + Math.Pow((y - cy) / ry, 2) + Math.Pow((z - cz) / rz, 2);
                            if (d <= 1 || random.NextDouble() < 0.01) target[shape.Index(x, y, z)] = 1;
                        }
            }
        }
        return masks;  // sample 0 stays empty
    }

    [PythonReferenceFact]
    public void EdtSdmBoundariesAndSurfacesMatchScipyAndSkimage()
    {
        var random = new Random(2024);
        const int Batch = 8;
        var shape = new Shape3(23, 19, 14);
        var spacing = new Spacing3(0.8, 1.25, 2.0);
        var masks = MixedMasks(random, Batch, shape);
        File.WriteAllBytes(Path.Combine(folder, "masks.u8"), masks);
        PythonReference.WriteShape(folder, Batch, shape);
        PythonReference.WriteSpacing(folder, spacing);
        PythonReference.RunScript("maps", folder);

        var expectedEdt = PythonReference.ReadFloats(Path.Combine(folder, "edt.f32"));
        var actualEdt = EuclideanDistance.ToBackgroundBatch(masks, Batch, shape, spacing);
        double worstEdt = expectedEdt.Zip(actualEdt, (e, a) => Math.Abs(e - a) / Math.Max(1, e)).Max();
        Assert.True(worstEdt < 1e-5, $"EDT differs from scipy by up to {worstEdt:g3} (relative)");

        var expectedSdm = PythonReference.ReadFloats(Path.Combine(folder, "sdm.f32"));
        var actualSdm = SignedDistanceMap.ComputeBatch(masks, Batch, shape);
        double worstSdm = expectedSdm.Zip(actualSdm, (e, a) => (double)Math.Abs(e - a)).Max();
        Assert.True(worstSdm < 1e-5, $"SDM differs from compute_sdf by up to {worstSdm:g3}");

        var expectedInner = File.ReadAllBytes(Path.Combine(folder, "boundary.u8"));
        var expectedSurface = File.ReadAllBytes(Path.Combine(folder, "surface.u8"));
        for (int b = 0; b < Batch; b++)
        {
            var sample = masks.AsSpan(b * shape.Count, shape.Count);
            Assert.Equal(expectedInner.AsSpan(b * shape.Count, shape.Count).ToArray(), Boundaries.Inner(sample, shape));
            Assert.Equal(expectedSurface.AsSpan(b * shape.Count, shape.Count).ToArray(), Boundaries.Surface(sample, shape));
        }
        output.WriteLine($"{Batch} masks of {shape}: max |ΔEDT| (relative) {worstEdt:g3}, max |ΔSDM| {worstSdm:g3}; boundaries and surfaces identical.");
    }

    [PythonReferenceFact]
    public void SurfaceMetricsMatchMedpyDefinitions()
    {
        var random = new Random(77);
        const int Batch = 10;
        var shape = new Shape3(21, 17, 15);
        var spacing = new Spacing3(0.625, 0.625, 1.5);
        var truth = MixedMasks(random, Batch, shape);
        var prediction = MixedMasks(random, Batch, shape);
        // Case 1: prediction = truth shifted by one voxel along Y (a realistic near miss).
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                for (int z = 0; z < shape.Z; z++)
                    prediction[shape.Count + shape.Index(x, y, z)] = y + 1 < shape.Y ? truth[shape.Count + shape.Index(x, y + 1, z)] : (byte)0;
        File.WriteAllBytes(Path.Combine(folder, "pred.u8"), prediction);
        File.WriteAllBytes(Path.Combine(folder, "gt.u8"), truth);
        PythonReference.WriteShape(folder, Batch, shape);
        PythonReference.WriteSpacing(folder, spacing);
        PythonReference.RunScript("metrics", folder);

        var lines = File.ReadAllLines(Path.Combine(folder, "metrics.txt"));
        Assert.Equal(Batch, lines.Length);
        for (int b = 0; b < Batch; b++)
        {
            var expected = lines[b].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var actual = SegmentationMetrics.Evaluate(prediction.AsSpan(b * shape.Count, shape.Count), truth.AsSpan(b * shape.Count, shape.Count), shape, spacing);
            double[] ours = [actual.Dice, actual.Jaccard, actual.Hd95, actual.Asd, actual.Assd];
            for (int m = 0; m < 5; m++)
                Assert.True(Math.Abs(expected[m] - ours[m]) <= 1e-5 * Math.Max(1, Math.Abs(expected[m])),
                    $"case {b} metric {m}: reference {expected[m]}, ours {ours[m]}");
            output.WriteLine($"case {b}: Dice {actual.Dice:F4} HD95 {actual.Hd95:F4} ASD {actual.Asd:F4} (reference {expected[0]:F4} / {expected[2]:F4} / {expected[3]:F4})");
        }
    }
}
