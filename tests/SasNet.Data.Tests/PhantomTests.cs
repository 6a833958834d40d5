using System.Diagnostics;
using SasNet.Data.Datasets;
using SasNet.Data.IO;
using SasNet.Data.Phantoms;
using SasNet.Geometry;
using Xunit.Abstractions;

namespace SasNet.Data.Tests;

public class PhantomTests(ITestOutputHelper output)
{
    [Fact]
    public void SameSeedGivesIdenticalCasesAndOtherSeedsDiffer()
    {
        var a = PhantomGenerator.Generate(PhantomScale.Quick, 7, 3);
        var b = PhantomGenerator.Generate(PhantomScale.Quick, 7, 3);
        var c = PhantomGenerator.Generate(PhantomScale.Quick, 8, 3);
        Assert.Equal(a.Image.Data, b.Image.Data);
        Assert.Equal(a.Label.Data, b.Label.Data);
        Assert.NotEqual(a.Label.Data.Length == c.Label.Data.Length ? a.Label.Data : [], c.Label.Data);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void CaseHasOrganDistractorsAndIsNotThresholdable(int index)
    {
        var phantom = PhantomGenerator.Generate(PhantomScale.Quick, 1337, index);
        var shape = phantom.Image.Shape;
        Assert.InRange(shape.X, 60, 68);
        Assert.InRange(shape.Z, 46, 50);
        int organ = phantom.Label.Data.Count(v => v == 1);
        int distractor = phantom.Distractors.Data.Count(v => v == 1);
        Assert.True(organ > shape.Count / 50, $"organ too small: {organ} voxels");
        Assert.True(distractor > organ / 10, $"distractors too small: {distractor} voxels");

        // z-scored like UA-MT
        double mean = phantom.Image.Data.Average(v => (double)v);
        double std = Math.Sqrt(phantom.Image.Data.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -1e-3, 1e-3);
        Assert.InRange(std, 0.999, 1.001);

        // Not a sphere: overlap with the equal-volume ball at the centroid stays well below 1.
        double cx = 0, cy = 0, cz = 0;
        for (int x = 0; x < shape.X; x++) for (int y = 0; y < shape.Y; y++) for (int z = 0; z < shape.Z; z++)
            if (phantom.Label[x, y, z] == 1) { cx += x; cy += y; cz += z; }
        cx /= organ; cy /= organ; cz /= organ;
        double r = Math.Cbrt(3.0 * organ / (4 * Math.PI));
        int inBoth = 0, ball = 0;
        for (int x = 0; x < shape.X; x++) for (int y = 0; y < shape.Y; y++) for (int z = 0; z < shape.Z; z++)
        {
            bool inBall = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= r * r;
            if (inBall) ball++;
            if (inBall && phantom.Label[x, y, z] == 1) inBoth++;
        }
        double iou = inBoth / (double)(organ + ball - inBoth);
        Assert.True(iou < 0.8, $"organ is too sphere-like (IoU with ball {iou:F3})");

        // Distractors share the organ's intensity: the best global threshold is far from a perfect segmentation.
        double organMean = Mean(phantom, phantom.Label), distractorMean = Mean(phantom, phantom.Distractors);
        Assert.True(Math.Abs(organMean - distractorMean) < 0.6, $"organ {organMean:F2} vs distractor {distractorMean:F2}");
        double bestDice = 0;
        for (double t = -1; t <= 3; t += 0.05)
        {
            int tp = 0, predicted = 0;
            for (int i = 0; i < shape.Count; i++)
            {
                if (phantom.Image.Data[i] <= t) continue;
                predicted++;
                if (phantom.Label.Data[i] == 1) tp++;
            }
            bestDice = Math.Max(bestDice, 2.0 * tp / (predicted + organ));
        }
        output.WriteLine($"case {index}: shape {shape}, organ {organ}, distractor {distractor}, IoU-ball {iou:F3}, best threshold Dice {bestDice:F3}");
        Assert.True(bestDice < 0.85, $"thresholding alone reaches Dice {bestDice:F3}");
    }

    private static double Mean(PhantomCase phantom, Volume<byte> mask)
    {
        double sum = 0; int n = 0;
        for (int i = 0; i < mask.Data.Length; i++) if (mask.Data[i] == 1) { sum += phantom.Image.Data[i]; n++; }
        return sum / n;
    }

    [Hdf5Fact]
    public void DatasetIsWrittenInLaLayoutDeterministicallyAndIdempotently()
    {
        using var dir = new TempDirectory();
        var watch = Stopwatch.StartNew();
        var info = PhantomDataset.Generate(dir.File("a"), PhantomScale.Quick, 24, 6, 1337);
        output.WriteLine($"30 quick cases in {watch.Elapsed.TotalSeconds:F2} s");
        Assert.False(info.Reused);
        Assert.Equal(24, File.ReadAllLines(dir.File("a/train.list")).Length);
        Assert.Equal(6, File.ReadAllLines(dir.File("a/test.list")).Length);
        var again = PhantomDataset.Generate(dir.File("a"), PhantomScale.Quick, 24, 6, 1337);
        Assert.True(again.Reused);

        PhantomDataset.Generate(dir.File("b"), PhantomScale.Quick, 2, 1, 1337);
        foreach (var id in new[] { "phantom_000", "phantom_001" })
            Assert.Equal(File.ReadAllBytes(dir.File($"a/{id}/mri_norm2.h5")), File.ReadAllBytes(dir.File($"b/{id}/mri_norm2.h5")));

        var dataset = DatasetCatalog.Phantoms(dir.File("a"));
        Assert.Equal(info.TrainIds, dataset.TrainIds);
        var split = dataset.Split(labeledCount: 4, validationCount: 2);
        Assert.Equal(4, split.Labeled.Count);
        Assert.Equal(18, split.Unlabeled.Count);
        Assert.Equal(new[] { "phantom_022", "phantom_023" }, split.Validation);
        var cases = split.TrainingCases();
        var first = cases.Load(0);
        Assert.Same(first, cases.Load(0));
        var generated = PhantomGenerator.Generate(PhantomScale.Quick, 1337, 0);
        Assert.Equal(generated.Image.Data, first.Image.Data);
        Assert.Equal(generated.Label.Data, first.Label.Data);
    }

    [Hdf5Fact]
    public void GeneratorsRacingForOneSetPublishItWholeOnce()
    {
        using var dir = new TempDirectory();
        var root = dir.File("race");
        // A stale, half-written set from an interrupted older kit: replaced, never read as complete; one racer generates.
        Directory.CreateDirectory(Path.Combine(root, "phantom_000"));
        File.WriteAllText(Path.Combine(root, "train.list"), "phantom_000\n");
        var results = new PhantomDatasetInfo[3];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = results.Length },
            i => results[i] = PhantomDataset.Generate(root, PhantomScale.Quick, 3, 1, 1337));

        Assert.All(results, r => Assert.Equal(["phantom_000", "phantom_001", "phantom_002"], r.TrainIds));
        Assert.Equal(1, results.Count(r => !r.Reused));
        Assert.True(PhantomDataset.Generate(root, PhantomScale.Quick, 3, 1, 1337).Reused);
        Assert.Empty(Directory.GetDirectories(dir.Path, "race.partial-*"));
        var reference = PhantomGenerator.Generate(PhantomScale.Quick, 1337, 3);
        Assert.Equal(reference.Image.Data, DatasetCatalog.Phantoms(root).TestCases().Load(0).Image.Data);
    }
}
