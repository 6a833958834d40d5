using SasNet.Data.Transforms;
using SasNet.Geometry;
using SasNet.Method;
using SasNet.Models;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasNet.Tests.Method;

public class SharpeningAndScheduleTests
{
    [Fact]
    public void SharpeningMatchesTheDefinition()
    {
        // s(p) = p^10 / (p^10 + (1 − p)^10) for T = 0.1
        foreach (var p in new[] { 0.5, 0.6, 0.4, 0.9, 0.05 })
        {
            double expected = Math.Pow(p, 10) / (Math.Pow(p, 10) + Math.Pow(1 - p, 10));
            Assert.Equal(expected, Sharpening.Apply(p), 10);
        }
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 0f, 0.4f, 0.5f, 0.6f, 1f });
        var s = Sharpening.Apply(t).data<float>().ToArray();
        Assert.Equal(0.0, s[0], 6);
        Assert.Equal(0.0170474, s[1], 5);
        Assert.Equal(0.5, s[2], 6);
        Assert.Equal(0.9829526, s[3], 5);
        Assert.Equal(1.0, s[4], 6);
        // a tiny temperature would make the textbook formula 0/0; the sigmoid form stays finite
        var sharp = Sharpening.Apply(tensor(new float[] { 0.3f, 0.7f }), 0.001).data<float>().ToArray();
        Assert.All(sharp, v => Assert.False(float.IsNaN(v)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sharpening.Apply(0.5, 0));
    }

    [Fact]
    public void RampUpAndWeights()
    {
        Assert.Equal(Math.Exp(-5), RampUps.Sigmoid(0, 40), 12);
        Assert.Equal(Math.Exp(-1.25), RampUps.Sigmoid(20, 40), 12);
        Assert.Equal(1.0, RampUps.Sigmoid(40, 40));
        Assert.Equal(1.0, RampUps.Sigmoid(100, 40));
        Assert.Equal(1.0, RampUps.Sigmoid(3, 0));

        var gamma = new ConsistencySchedule();
        Assert.Equal(Math.Exp(-5), gamma.Weight(149), 12);             // 149 // 150 = 0
        Assert.Equal(Math.Exp(-5 * 0.975 * 0.975), gamma.Weight(150), 12);
        Assert.Equal(1.0, gamma.Weight(6000));
        Assert.Equal(0.5, new ConsistencySchedule(MaxWeight: 0.5, UseRampUp: false).Weight(1));
        Assert.Equal(0.5, LossWeights.Paper.Beta);
        Assert.Equal(0.015 * Math.Exp(-5), ConsistencySchedule.SassNet(8).Weight(10), 12);
        Assert.Equal(0.01, ConsistencySchedule.SassNet(16).Weight(6000), 12);

        // The official loop takes iteration t with the rate set after iteration t − 1: 2500 still at the base rate.
        Assert.Equal(0.01, LearningRates.StepDecay(0.01, 1), 15);
        Assert.Equal(0.01, LearningRates.StepDecay(0.01, 2500), 15);
        Assert.Equal(0.001, LearningRates.StepDecay(0.01, 2501), 15);
        Assert.Equal(0.001, LearningRates.StepDecay(0.01, 5000), 15);
        Assert.Equal(0.0001, LearningRates.StepDecay(0.01, 5001), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRates.StepDecay(0.01, 0));
    }
}

public class SarTests
{
    private static Tensor Probabilities(double[] foreground, params long[] spatial)
    {
        var fg = tensor(foreground.Select(v => (float)v).ToArray(), [1, 1, .. spatial]);
        return cat([1 - fg, fg], 1);
    }

    private static Tensor TwoSampleProbabilities(double fg0, double fg1) =>
        cat([Probabilities([fg0], 1, 1, 1), Probabilities([fg1], 1, 1, 1)], 0);

    // Paper Fig. 4: P_l = (0.8, 0.2), P_h = (0.7, 0.3) with GT foreground, and P_l = (0.3, 0.7), P_h = (0.4, 0.6) with GT
    // background. The confidence of the first epoch, C_1 = P[GT], reweights the same probabilities: the sums go from
    // 1.5/0.5 to 1.685/0.565 and from 0.7/1.3 to 0.825/1.525, exactly the numbers in the text.
    [Fact]
    public void ReproducesTheNumbersOfFigure4()
    {
        using var scope = NewDisposeScope();
        var low = Probabilities([0.2, 0.7], 1, 1, 2);
        var high = Probabilities([0.3, 0.6], 1, 1, 2);
        var labels = tensor(new long[] { 1, 0 }, [1, 1, 1, 2]);
        var patch = new SarPatch("fig4", new Shape3(1, 1, 2), (0, 0, 0), new Shape3(1, 1, 2), AxisTransform.Identity);
        var sar = new ScaleAwareReweighting();

        sar.Ensemble(low, high, labels, [patch]); // epoch 1: records C_1
        var cLow = sar.ReadConfidence(patch, Branch.Low);
        var cHigh = sar.ReadConfidence(patch, Branch.High);
        Assert.Equal(new[] { 0.2f, 0.3f }, cLow.Select(v => MathF.Round(v, 6)));
        Assert.Equal(new[] { 0.3f, 0.4f }, cHigh.Select(v => MathF.Round(v, 6)));

        var sum = ScaleAwareReweighting.WeightedSum(low, high, tensor(cLow, [1, 1, 1, 2]), tensor(cHigh, [1, 1, 1, 2]), 0.5);
        var values = sum.data<float>().ToArray(); // channel 0 then channel 1, voxels A, B
        Assert.Equal(1.685, values[0], 5);
        Assert.Equal(0.825, values[1], 5);
        Assert.Equal(0.565, values[2], 5);
        Assert.Equal(1.525, values[3], 5);

        var ensemble = sar.Ensemble(low, high, labels, [patch]); // epoch 2 uses C_1
        Assert.True(allclose(ensemble, F.softmax(sum, 1), atol: 1e-6));
        // C after epoch 2 is the average of two identical epochs: unchanged
        Assert.Equal(0.2f, sar.ReadConfidence(patch, Branch.Low)[0], 6);
    }

    [Fact]
    public void PaperModeMapsConfidenceThroughCropAndViewAndIgnoresPadding()
    {
        using var scope = NewDisposeScope();
        // Case 3×2×2; the 2×2×2 crop starts at x = −1, so patch row x = 0 is padding. The view swaps X and Y.
        var patch = new SarPatch("case", new Shape3(3, 2, 2), (-1, 0, 0), new Shape3(2, 2, 2), AxisTransform.Swap(0, 1));
        var foreground = Enumerable.Range(0, 8).Select(i => 0.1 + 0.1 * i).ToArray(); // network voxel (a, b, c) has index 4a + 2b + c
        var low = Probabilities(foreground, 2, 2, 2);
        var high = Probabilities(foreground.Select(v => 1 - v).ToArray(), 2, 2, 2);
        var labels = ones([1, 2, 2, 2], ScalarType.Int64);
        var sar = new ScaleAwareReweighting();
        sar.Ensemble(low, high, labels, [patch]);

        var maps = sar.Store.Find("case")!;
        var lowMap = maps.Map(Branch.Low);
        var visited = maps.Visited(Branch.Low);
        var shape = maps.Shape;
        for (int x = 0; x < 3; x++)
            for (int y = 0; y < 2; y++)
                for (int z = 0; z < 2; z++)
                {
                    int i = shape.Index(x, y, z);
                    if (x == 0)
                    {
                        // case (0, y, z) is patch (1, y, z), seen by the network at (y, 1, z)
                        Assert.True(visited[i]);
                        Assert.Equal((float)foreground[4 * y + 2 + z], lowMap[i], 6);
                    }
                    else
                    {
                        Assert.False(visited[i]);
                        Assert.Equal(0.5f, lowMap[i]);
                    }
                }

        // Reading back in network orientation: voxels (a, 1, c) see their own confidence; (a, 0, c) lie in padding → 0.5.
        var read = sar.ReadConfidence(patch, Branch.Low);
        for (int a = 0; a < 2; a++)
            for (int c = 0; c < 2; c++)
            {
                Assert.Equal((float)foreground[4 * a + 2 + c], read[4 * a + 2 + c], 6);
                Assert.Equal(0.5f, read[4 * a + c]);
            }

        // A second visit averages with the previous value.
        var lower = Probabilities(foreground.Select(v => v / 2).ToArray(), 2, 2, 2);
        sar.Ensemble(lower, high, labels, [patch]);
        Assert.Equal((float)(0.75 * foreground[2]), lowMap[shape.Index(0, 0, 0)], 6);
    }

    [Fact]
    public void UnlabeledSamplesAndModeNoneAverageTheBranches()
    {
        using var scope = NewDisposeScope();
        var low = TwoSampleProbabilities(0.2, 0.9);
        var high = TwoSampleProbabilities(0.6, 0.5);
        var labels = ones([1, 1, 1, 1], ScalarType.Int64);
        var patch = new SarPatch("a", new Shape3(1, 1, 1), (0, 0, 0), new Shape3(1, 1, 1), AxisTransform.Identity);

        var paper = new ScaleAwareReweighting().Ensemble(low, high, labels, [patch]).data<float>().ToArray();
        // sample 1 (unlabeled): (0.9 + 0.5)/2 foreground
        Assert.Equal(0.7f, paper[3], 6);
        // sample 0 (labeled, C = 0.5): softmax(1.25·(0.8, 0.2) + 1.25·(0.4, 0.6))
        double b = 1.25 * 1.2, f = 1.25 * 0.8;
        Assert.Equal(Math.Exp(f) / (Math.Exp(b) + Math.Exp(f)), paper[1], 5);

        var none = new ScaleAwareReweighting(SarMode.None).Ensemble(low, high, labels, [patch]).data<float>().ToArray();
        Assert.Equal(0.4f, none[1], 6);
        Assert.Empty(new ScaleAwareReweighting(SarMode.None).Store.CaseKeys);
    }

    // Two one-voxel cases A (sample 0, GT 0) and B (sample 1, GT 1); foreground probabilities low 0.4 / 0.7, high 0.1 / 0.8.
    // c(branch, sample) = P[GT]: c(high, 0) = 0.9, c(high, 1) = 0.8, c(low, 0) = 0.6, c(low, 1) = 0.7.
    [Fact]
    public void OfficialCodeModeMixesCasesAndBranchesAsTheOfficialIndexing()
    {
        using var scope = NewDisposeScope();
        var low = TwoSampleProbabilities(0.4, 0.7);
        var high = TwoSampleProbabilities(0.1, 0.8);
        var labels = tensor(new long[] { 0, 1 }, [2, 1, 1, 1]);
        var one = new Shape3(1, 1, 1);
        SarPatch[] patches = [new("A", one, (0, 0, 0), one, AxisTransform.Identity), new("B", one, (0, 0, 0), one, AxisTransform.Identity)];

        var paper = new ScaleAwareReweighting(SarMode.Paper);
        paper.Ensemble(low, high, labels, patches);
        Assert.Equal(0.9f, paper.Store.Find("A")!.Map(Branch.High)[0], 6);
        Assert.Equal(0.6f, paper.Store.Find("A")!.Map(Branch.Low)[0], 6);
        Assert.Equal(0.8f, paper.Store.Find("B")!.Map(Branch.High)[0], 6);
        Assert.Equal(0.7f, paper.Store.Find("B")!.Map(Branch.Low)[0], 6);

        var official = new ScaleAwareReweighting(SarMode.OfficialCode);
        official.Ensemble(low, high, labels, patches);
        var a = official.Store.Find("A")!;
        var bCase = official.Store.Find("B")!;
        Assert.Equal(0.9f, a.Map(Branch.High)[0], 6);      // correct
        Assert.Equal(0.8f, a.Map(Branch.Low)[0], 6);       // high-branch confidence of sample 1
        Assert.Equal(0.5f, bCase.Map(Branch.High)[0], 6);  // untouched …
        Assert.True(bCase.Visited(Branch.High)[0]);        // … but marked visited
        Assert.Equal(0.7f, bCase.Map(Branch.Low)[0], 6);   // correct

        // Second step: weights are W(high, 0) = A.high, W(high, 1) = A.low, W(low, 0) = B.high, W(low, 1) = B.low.
        var ensemble = official.Ensemble(low, high, labels, patches).data<float>().ToArray();
        static double Foreground((double b, double f) p) => Math.Exp(p.f) / (Math.Exp(p.b) + Math.Exp(p.f));
        var s0 = (b: 0.6 * (1 + 0.5 * 0.5) + 0.9 * (1 + 0.5 * 0.9), f: 0.4 * (1 + 0.5 * 0.5) + 0.1 * (1 + 0.5 * 0.9));
        var s1 = (b: 0.3 * (1 + 0.5 * 0.7) + 0.2 * (1 + 0.5 * 0.8), f: 0.7 * (1 + 0.5 * 0.7) + 0.8 * (1 + 0.5 * 0.8));
        Assert.Equal(Foreground(s0), ensemble[1], 5); // (B, 2, 1, 1, 1): [s0 bg, s0 fg, s1 bg, s1 fg]
        Assert.Equal(Foreground(s1), ensemble[3], 5);
        Assert.Equal(2.055, s0.b, 9);

        var three = cat([low, low.narrow(0, 0, 1)], 0);
        var e = Assert.Throws<InvalidOperationException>(() => official.Ensemble(three, cat([high, high.narrow(0, 0, 1)], 0),
            cat([labels, labels.narrow(0, 0, 1)], 0), [.. patches, new SarPatch("C", one, (0, 0, 0), one, AxisTransform.Identity)]));
        Assert.Contains("exactly 2 labeled samples", e.Message);
    }

    [Fact]
    public void ConfidenceStoreSavesAndLoads()
    {
        using var scope = NewDisposeScope();
        var sar = new ScaleAwareReweighting();
        var patch = new SarPatch("x", new Shape3(2, 1, 1), (1, 0, 0), new Shape3(1, 1, 1), AxisTransform.Identity);
        sar.Ensemble(Probabilities([0.3], 1, 1, 1), Probabilities([0.6], 1, 1, 1), ones([1, 1, 1, 1], ScalarType.Int64), [patch]);
        using var stream = new MemoryStream();
        sar.Store.Save(stream);
        stream.Position = 0;
        var restored = new ConfidenceStore();
        restored.Load(stream);
        var maps = restored.Find("x")!;
        Assert.Equal(new[] { 0.5f, 0.3f }, maps.Map(Branch.Low).Select(v => MathF.Round(v, 6)));
        Assert.Equal(new[] { false, true }, maps.Visited(Branch.High));
        Assert.Throws<ArgumentException>(() => restored.GetOrCreate("x", new Shape3(3, 1, 1)));
    }
}

public class SarPatchTests
{
    [Fact]
    public void FromSampleComposesRotFlipAndViewLikeTheDataLayer()
    {
        var info = new SasNet.Data.Sampling.SampleInfo(3, "c3", true, new Shape3(9, 8, 7), (1, -2, 0), new Shape3(4, 4, 2),
            AxisTransform.Rot90(1).ThenFlip(0), new SasNet.Data.Transforms.ViewRecord(AxisTransform.Swap(1, 2)));
        var patch = SarPatch.FromSample(info);
        Assert.Equal(info.PatchShape, patch.NetworkShape);
        var values = Enumerable.Range(0, info.PatchShape.Count).Select(i => (float)i).ToArray();
        Assert.Equal(info.ViewToCrop<float>(values), patch.View.Inverse().Apply<float>(values, patch.NetworkShape));

        var rotated = info with { View = new SasNet.Data.Transforms.ViewRecord(AxisTransform.Identity, RotationDegrees: 30) };
        Assert.Throws<NotSupportedException>(() => SarPatch.FromSample(rotated));
    }
}
