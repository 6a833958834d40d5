using SasNet.Geometry;

namespace SasNet.Geometry.Tests;

public class MetricsTests
{
    [Fact]
    public void SurfaceMetricsMatchBruteForceOnRandomMasks()
    {
        var random = new Random(21);
        Spacing3[] spacings = [Spacing3.Unit, new(0.625, 0.625, 2.5), new(2, 1, 0.5)];
        for (int trial = 0; trial < 120; trial++)
        {
            var shape = BruteForce.RandomShape(random, 9);
            var spacing = spacings[trial % spacings.Length];
            var prediction = BruteForce.RandomMask(random, shape, random.NextDouble() * 0.7 + 0.05);
            var truth = BruteForce.RandomMask(random, shape, random.NextDouble() * 0.7 + 0.05);
            if (!prediction.Any(v => v != 0) || !truth.Any(v => v != 0)) continue;

            var forward = BruteForce.DirectedSurfaceDistances(prediction, truth, shape, spacing);
            var backward = BruteForce.DirectedSurfaceDistances(truth, prediction, shape, spacing);
            double expectedHd95 = BruteForce.Percentile(forward.Concat(backward), 95);
            double expectedAsd = forward.Average();
            double expectedAssd = (forward.Average() + backward.Average()) / 2;
            int overlap = Enumerable.Range(0, shape.Count).Count(i => prediction[i] != 0 && truth[i] != 0);
            int p = prediction.Count(v => v != 0), g = truth.Count(v => v != 0);

            var metrics = SegmentationMetrics.Evaluate(prediction, truth, shape, spacing);
            Assert.Equal(2.0 * overlap / (p + g), metrics.Dice, 12);
            Assert.Equal((double)overlap / (p + g - overlap), metrics.Jaccard, 12);
            Assert.Equal(expectedHd95, metrics.Hd95, 4);
            Assert.Equal(expectedAsd, metrics.Asd, 4);
            Assert.Equal(expectedAssd, metrics.Assd, 4);
            Assert.False(metrics.ScoredByEmptyConvention);
        }
    }

    [Fact]
    public void SurfaceMetricsMatchBruteForceOnSmallBlobs()
    {
        // Small, possibly disjoint blobs: the union bounding box is a small part of the grid.
        var random = new Random(31);
        for (int trial = 0; trial < 60; trial++)
        {
            var shape = new Shape3(random.Next(6, 13), random.Next(6, 13), random.Next(4, 11));
            var spacing = trial % 2 == 0 ? Spacing3.Unit : new Spacing3(1.2, 0.8, 2);
            var prediction = BruteForce.RandomBlob(random, shape);
            var truth = BruteForce.RandomBlob(random, shape);
            var forward = BruteForce.DirectedSurfaceDistances(prediction, truth, shape, spacing);
            var backward = BruteForce.DirectedSurfaceDistances(truth, prediction, shape, spacing);
            var metrics = SegmentationMetrics.Evaluate(prediction, truth, shape, spacing);
            Assert.Equal(BruteForce.Percentile(forward.Concat(backward), 95), metrics.Hd95, 4);
            Assert.Equal(forward.Average(), metrics.Asd, 4);
            Assert.Equal((forward.Average() + backward.Average()) / 2, metrics.Assd, 4);
            var (ours, _) = SegmentationMetrics.DirectedSurfaceDistances(prediction, truth, shape, spacing);
            Assert.Equal(forward.Count, ours.Length);
            for (int i = 0; i < ours.Length; i++) Assert.Equal(forward[i], ours[i], 4);   // same (C) order
        }
    }

    [Fact]
    public void IdenticalMasksScorePerfectly()
    {
        var shape = new Shape3(6, 5, 7);
        var mask = BruteForce.RandomMask(new Random(2), shape, 0.5);
        var metrics = SegmentationMetrics.Evaluate(mask, mask, shape);
        Assert.Equal(1.0, metrics.Dice);
        Assert.Equal(1.0, metrics.Jaccard);
        Assert.Equal(0.0, metrics.Hd95);
        Assert.Equal(0.0, metrics.Asd);
    }

    [Fact]
    public void ShiftedCubeHasKnownDistances()
    {
        // Two 4³ cubes, the prediction shifted by 2 voxels along X in a large volume.
        var shape = new Shape3(12, 8, 8);
        var truth = new byte[shape.Count];
        var prediction = new byte[shape.Count];
        for (int x = 0; x < 4; x++)
            for (int y = 2; y < 6; y++)
                for (int z = 2; z < 6; z++)
                {
                    truth[shape.Index(x + 3, y, z)] = 1;
                    prediction[shape.Index(x + 5, y, z)] = 1;
                }
        var metrics = SegmentationMetrics.Evaluate(prediction, truth, shape);
        Assert.Equal(2.0 * 32 / 128, metrics.Dice, 12);
        Assert.Equal(32.0 / 96, metrics.Jaccard, 12);
        // Each cube has 56 surface voxels; by symmetry both directions give the same multiset.
        var forward = BruteForce.DirectedSurfaceDistances(prediction, truth, shape, Spacing3.Unit);
        Assert.Equal(56, forward.Count);
        Assert.Equal(forward.Average(), metrics.Asd, 5);
        Assert.Equal(2.0, metrics.Hd95, 5);
    }

    [Fact]
    public void EmptyPredictionOrTruthFollowPublishedConvention()
    {
        var shape = new Shape3(3, 3, 3);
        var empty = new byte[27];
        var some = new byte[27];
        some[13] = 1;
        var emptyPrediction = SegmentationMetrics.Evaluate(empty, some, shape, caseName: "a");
        Assert.Equal(new CaseMetrics("a", 0, 0, 0, 0, 0, PredictionEmpty: true), emptyPrediction);
        Assert.True(emptyPrediction.ScoredByEmptyConvention);
        var emptyTruth = SegmentationMetrics.Evaluate(some, empty, shape);
        Assert.True(emptyTruth.GroundTruthEmpty);
        Assert.False(emptyTruth.PredictionEmpty);
        Assert.Equal(0.0, emptyTruth.Dice);
    }

    [Fact]
    public void MasksTouchingTheBorderAndSingleVoxelsAreScored()
    {
        // Whole-volume masks: every voxel on the array edge is surface (erosion pads with background).
        var shape = new Shape3(4, 4, 1);
        var full = Enumerable.Repeat((byte)1, shape.Count).ToArray();
        var single = new byte[shape.Count];
        single[shape.Index(0, 0, 0)] = 1;
        var metrics = SegmentationMetrics.Evaluate(single, full, shape);
        Assert.Equal(2.0 / 17, metrics.Dice, 12);
        Assert.Equal(0.0, metrics.Asd);                  // the single voxel lies on the full mask's surface
        var backward = BruteForce.DirectedSurfaceDistances(full, single, shape, Spacing3.Unit);
        var expectedHd95 = BruteForce.Percentile(backward.Append(0.0), 95);
        Assert.Equal(expectedHd95, metrics.Hd95, 5);
    }

    [Fact]
    public void PercentileUsesLinearInterpolation()
    {
        Assert.Equal(3.85, SegmentationMetrics.Percentile([1, 2, 3, 4], 95), 12);   // numpy.percentile([1,2,3,4], 95)
        Assert.Equal(7.0, SegmentationMetrics.Percentile([7], 95));
        Assert.Throws<ArgumentException>(() => SegmentationMetrics.Percentile([1.0], 101));
    }

    [Fact]
    public void EvaluateRejectsMismatchedInputs()
    {
        var error = Assert.Throws<ArgumentException>(() => SegmentationMetrics.Evaluate(new byte[8], new byte[9], new Shape3(2, 2, 2)));
        Assert.Contains("ground truth", error.Message);
        Assert.Throws<ArgumentException>(() => SegmentationMetrics.Evaluate(new byte[8], new byte[8], new Shape3(2, 2, 2), new Spacing3(-1, 1, 1)));
        var a = new Volume<byte>(new Shape3(2, 2, 2));
        var b = new Volume<byte>(new Shape3(2, 2, 3));
        Assert.Contains("shapes differ", Assert.Throws<ArgumentException>(() => SegmentationMetrics.Evaluate(a, b)).Message);
    }
}

public class TableTests
{
    private static MetricsTable SampleTable() => SasNet.Testing.SampleMetrics.Table();

    [Fact]
    public void MeanAndStdIncludeEmptyConventionCases()
    {
        var table = SampleTable();
        Assert.Equal(1.7 / 3, table.Mean.Dice, 12);
        double mean = 10.0 / 3;
        double std = Math.Sqrt((Math.Pow(4 - mean, 2) + Math.Pow(6 - mean, 2) + Math.Pow(0 - mean, 2)) / 3);
        Assert.Equal(std, table.StandardDeviation.Hd95, 12);
        Assert.Equal(1, table.EmptyConventionCount);
    }

    [Fact]
    public void ToStringIsAOneLineSummary()
    {
        string text = SampleTable().ToString();
        Assert.DoesNotContain('\n', text);
        Assert.StartsWith("LA test: 3 cases, Dice 56.67 ± ", text);
        Assert.Contains("HD95 3.33 ± 2.49 voxels", text);
        Assert.EndsWith("(1 scored 0 by the empty convention)", text);
    }
}
