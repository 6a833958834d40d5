using SasNet.Geometry;
using SasNet.Inference;
using static TorchSharp.torch;

namespace SasNet.Tests.Inference;

public class SlidingWindowPredictorTests
{
    /// <summary>Returns the input voxel values as probabilities and records every window it saw.</summary>
    private sealed class EchoNetwork(int maxBatch)
    {
        public List<int> BatchSizes { get; } = [];
        public List<float[]> Windows { get; } = [];

        public Tensor Forward(Tensor windows)
        {
            int count = (int)windows.shape[0];
            Assert.InRange(count, 1, maxBatch);
            Assert.Equal(1, windows.shape[1]);
            BatchSizes.Add(count);
            for (int k = 0; k < count; k++) Windows.Add(windows[k].contiguous().data<float>().ToArray());
            return windows.squeeze(1);
        }

        public SlidingWindowPredictor Predictor() => new(Forward, CPU, maxBatch);
    }

    /// <summary>Predicts the same constant for every voxel of a window: the window's sequence number / 100.</summary>
    private static SlidingWindowPredictor WindowIndexPredictor()
    {
        int next = 0;
        return new SlidingWindowPredictor(windows =>
        {
            long[] window = [windows.shape[2], windows.shape[3], windows.shape[4]];
            return stack(Enumerable.Range(0, (int)windows.shape[0]).Select(_ => full(window, next++ / 100f)).ToArray());
        }, CPU, maxBatch: 3);
    }

    private static SlidingWindowPredictor NaNPredictor() =>
        new(windows => full([windows.shape[0], windows.shape[2], windows.shape[3], windows.shape[4]], float.NaN), CPU, maxBatch: 1);

    private static float[] SmoothImage(Shape3 shape) =>
        Enumerable.Range(0, shape.Count).Select(i =>
        {
            int x = i / (shape.Y * shape.Z), y = i / shape.Z % shape.Y, z = i % shape.Z;
            return (float)(0.5 + 0.45 * Math.Sin(0.3 * x + 0.2 * y) * Math.Cos(0.25 * z));
        }).ToArray();

    [Fact]
    public void EchoPredictorReproducesTheImageAndSeesEveryPlannedWindowInOrder()
    {
        var shape = new Shape3(21, 17, 13);
        var options = new SlidingWindowOptions(new Shape3(8, 9, 6), new Shape3(5, 4, 3));
        var image = SmoothImage(shape);
        var network = new EchoNetwork(maxBatch: 4);
        var result = network.Predictor().Predict(image, shape, options);

        Assert.Equal(image, result.Probability.Data);                 // exact: every window predicts the same value
        for (int i = 0; i < image.Length; i++) Assert.Equal(image[i] > 0.5f ? 1 : 0, result.Mask.Data[i]);

        var plan = result.Plan;
        Assert.Equal(plan.WindowCount, network.Windows.Count);
        Assert.All(network.BatchSizes.SkipLast(1), size => Assert.Equal(4, size));
        int k = 0;
        foreach (int x in plan.StartsX)
            foreach (int y in plan.StartsY)
                foreach (int z in plan.StartsZ)
                {
                    var window = network.Windows[k++];
                    Assert.Equal(image[shape.Index(x, y, z)], window[0]);
                    Assert.Equal(image[shape.Index(x + 7, y + 8, z + 5)], window[^1]);
                }
    }

    [Fact]
    public void OverlappingWindowsAreAveraged()
    {
        var shape = new Shape3(10, 6, 7);
        var options = new SlidingWindowOptions(new Shape3(6, 6, 4), new Shape3(2, 3, 2));
        var result = WindowIndexPredictor().Predict(new float[shape.Count], shape, options);

        // Reference: mean of the sequence numbers of the windows covering each voxel.
        var plan = result.Plan;
        var sum = new double[shape.Count];
        var count = new int[shape.Count];
        int index = 0;
        foreach (int x0 in plan.StartsX)
            foreach (int y0 in plan.StartsY)
                foreach (int z0 in plan.StartsZ)
                {
                    for (int x = x0; x < x0 + 6; x++)
                        for (int y = y0; y < y0 + 6; y++)
                            for (int z = z0; z < z0 + 4; z++) { sum[shape.Index(x, y, z)] += index / 100f; count[shape.Index(x, y, z)]++; }
                    index++;
                }
        for (int i = 0; i < shape.Count; i++) Assert.Equal(sum[i] / count[i], result.Probability.Data[i], 6);
    }

    [Fact]
    public void VolumeSmallerThanPatchIsPaddedAndCroppedBack()
    {
        var shape = new Shape3(5, 12, 3);
        var image = SmoothImage(shape);
        var network = new EchoNetwork(maxBatch: 8);
        var spacing = new Spacing3(0.5, 0.5, 2);
        var result = network.Predictor().Predict(new Volume<float>(shape, image, spacing), new SlidingWindowOptions(new Shape3(8, 8, 8), new Shape3(4, 4, 4)));
        Assert.Equal(shape, result.Probability.Shape);
        Assert.Equal(spacing, result.Mask.Spacing);
        Assert.Equal(image, result.Probability.Data);
        Assert.Equal(new Shape3(8, 12, 8), result.Plan.Padded);
        Assert.Equal(new Shape3(1, 0, 2), result.Plan.PadBefore);
        // Window (0,0,0) of the padded volume: the image starts at offset (1, 0, 2) inside it, zeros around.
        var first = network.Windows[0];
        var patch = new Shape3(8, 8, 8);
        Assert.Equal(0f, first[patch.Index(0, 0, 0)]);
        Assert.Equal(image[shape.Index(0, 0, 0)], first[patch.Index(1, 0, 2)]);
        Assert.Equal(0f, first[patch.Index(6, 0, 2)]);
        Assert.Equal(0f, first[patch.Index(1, 0, 5)]);
    }

    [Fact]
    public void GaussianWeightingKeepsConsistentPredictions()
    {
        var shape = new Shape3(20, 18, 16);
        var image = SmoothImage(shape);
        var options = new SlidingWindowOptions(new Shape3(8, 8, 8), new Shape3(3, 3, 3)) { GaussianWeighting = true };
        var result = new EchoNetwork(16).Predictor().Predict(image, shape, options);
        for (int i = 0; i < image.Length; i++) Assert.Equal(image[i], result.Probability.Data[i], 6);
    }

    [Fact]
    public void ThresholdIsStrictAndLargestComponentIsOptional()
    {
        var shape = new Shape3(9, 3, 3);
        var image = new float[shape.Count];
        Array.Fill(image, 0.5f);                                  // exactly 0.5: a tie, goes to background
        image[shape.Index(0, 1, 1)] = 0.9f;                        // small blob
        for (int x = 4; x < 8; x++) image[shape.Index(x, 1, 1)] = 0.8f;   // larger blob
        var options = new SlidingWindowOptions(new Shape3(4, 3, 3), new Shape3(2, 1, 1));
        var plain = new EchoNetwork(2).Predictor().Predict(image, shape, options);
        Assert.Equal(5, plain.Mask.Data.Sum(v => v));
        var largest = new EchoNetwork(2).Predictor().Predict(image, shape, options with { KeepLargestComponent = true });
        Assert.Equal(4, largest.Mask.Data.Sum(v => v));
        Assert.Equal(0, largest.Mask[0, 1, 1]);
    }

    [Fact]
    public void BadArgumentsAreRejectedWithSpecificMessages()
    {
        var shape = new Shape3(4, 4, 4);
        var image = new float[shape.Count];
        var zeroStride = new SlidingWindowOptions(new Shape3(2, 2, 2), new Shape3(1, 0, 1));
        Assert.Contains("strides must be positive", Assert.Throws<ArgumentException>(() => new EchoNetwork(1).Predictor().Predict(image, shape, zeroStride)).Message);
        var good = new SlidingWindowOptions(new Shape3(2, 2, 2), new Shape3(1, 1, 1));
        Assert.Contains("MaxBatch", Assert.Throws<ArgumentException>(() => new EchoNetwork(0).Predictor()).Message);
        Assert.Contains("needs 64 values", Assert.Throws<ArgumentException>(() => new EchoNetwork(1).Predictor().Predict(new float[63], shape, good)).Message);
        Assert.Contains("patch sizes must be positive", Assert.Throws<ArgumentException>(() => new EchoNetwork(1).Predictor().Predict(image, shape, new SlidingWindowOptions(new Shape3(0, 2, 2), new Shape3(1, 1, 1)))).Message);
        Assert.Contains("non-finite", Assert.Throws<InvalidOperationException>(() => NaNPredictor().Predict(image, shape, good)).Message);
    }

    [Fact]
    public void PredictorRefusesANetworkOutputOfTheWrongShape()
    {
        var predictor = new SlidingWindowPredictor(input => zeros([input.shape[0], 4, 4, 4]), CPU, maxBatch: 1);
        var patch = new Shape3(16, 16, 16);
        var error = Assert.Throws<InvalidOperationException>(() => predictor.Predict(new Volume<float>(patch), new SlidingWindowOptions(patch, patch)));
        Assert.Contains("expected [1, 16, 16, 16]", error.Message);
    }

    // A toy network whose output depends non-linearly on each whole window (through its mean), so windows mixed up
    // between batch entries or misplaced would show: p = sigmoid(4·(x − mean of the window) + x/2), per voxel.
    private static Tensor ToyNetwork(Tensor windows)
    {
        var mean = windows.mean([1, 2, 3, 4], keepdim: true);
        return (4 * (windows - mean) + windows / 2).sigmoid().squeeze(1);
    }

    // The same sliding window written out on the CPU in double precision, independent of SlidingWindowPlan.
    private static double[] ReferenceProbability(float[] image, Shape3 shape, Shape3 patch, Shape3 stride, bool gaussian)
    {
        var padded = new int[3];
        var before = new int[3];
        var starts = new int[3][];
        for (int axis = 0; axis < 3; axis++)
        {
            int pad = Math.Max(patch[axis] - shape[axis], 0);
            before[axis] = pad / 2;
            padded[axis] = shape[axis] + pad;
            int count = (int)Math.Ceiling((padded[axis] - patch[axis]) / (double)stride[axis]) + 1;
            starts[axis] = Enumerable.Range(0, count).Select(i => Math.Min(stride[axis] * i, padded[axis] - patch[axis])).ToArray();
        }
        var paddedShape = new Shape3(padded[0], padded[1], padded[2]);
        var input = new double[paddedShape.Count];
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                for (int z = 0; z < shape.Z; z++)
                    input[paddedShape.Index(x + before[0], y + before[1], z + before[2])] = image[shape.Index(x, y, z)];

        double Weight(int axis, int i)
        {
            if (!gaussian) return 1;
            double sigma = patch[axis] / 8.0, centre = (patch[axis] - 1) / 2.0;
            return Math.Exp(-(i - centre) * (i - centre) / (2 * sigma * sigma));
        }
        double peak = Enumerable.Range(0, 3).Aggregate(1.0, (product, axis) => product * Enumerable.Range(0, patch[axis]).Max(i => Weight(axis, i)));

        var sum = new double[paddedShape.Count];
        var total = new double[paddedShape.Count];
        foreach (int x0 in starts[0])
            foreach (int y0 in starts[1])
                foreach (int z0 in starts[2])
                {
                    double mean = 0;
                    for (int x = 0; x < patch.X; x++)
                        for (int y = 0; y < patch.Y; y++)
                            for (int z = 0; z < patch.Z; z++) mean += input[paddedShape.Index(x0 + x, y0 + y, z0 + z)];
                    mean /= patch.Count;
                    for (int x = 0; x < patch.X; x++)
                        for (int y = 0; y < patch.Y; y++)
                            for (int z = 0; z < patch.Z; z++)
                            {
                                int i = paddedShape.Index(x0 + x, y0 + y, z0 + z);
                                double v = input[i];
                                double p = 1 / (1 + Math.Exp(-(4 * (v - mean) + v / 2)));
                                double w = Weight(0, x) * Weight(1, y) * Weight(2, z) / peak;
                                sum[i] += w * p;
                                total[i] += w;
                            }
                }
        var probability = new double[shape.Count];
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                for (int z = 0; z < shape.Z; z++)
                {
                    int i = paddedShape.Index(x + before[0], y + before[1], z + before[2]);
                    probability[shape.Index(x, y, z)] = sum[i] / total[i];
                }
        return probability;
    }

    [Fact]
    public void ALoneLastWindowRunsBesideACopyOfItselfAndGivesTheSameResult()
    {
        // 3 × 1 × 1 windows: with two per batch the last one would be alone; libtorch's one-sample CPU convolutions are slow.
        var shape = new Shape3(20, 8, 6);
        var options = new SlidingWindowOptions(new Shape3(8, 8, 6), new Shape3(6, 4, 3));
        var image = SmoothImage(shape);
        var paired = new EchoNetwork(maxBatch: 2);
        var single = new EchoNetwork(maxBatch: 1);

        var pairedResult = paired.Predictor().Predict(image, shape, options);
        var singleResult = single.Predictor().Predict(image, shape, options);

        Assert.Equal(3, pairedResult.Plan.WindowCount);
        Assert.Equal([2, 2], paired.BatchSizes);
        Assert.Equal(paired.Windows[2], paired.Windows[3]);             // the copy
        Assert.Equal([1, 1, 1], single.BatchSizes);                      // MaxBatch 1 is honoured
        Assert.Equal(singleResult.Probability.Data, pairedResult.Probability.Data);
        Assert.Equal(image, pairedResult.Probability.Data);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    [InlineData(3, true)]
    public void TensorPathMatchesAStraightforwardReference(int maxBatch, bool gaussian)
    {
        // Z (5) is shorter than the patch (8): padded to 8, one window along Z; X and Y overlap unevenly.
        var shape = new Shape3(19, 14, 5);
        var patch = new Shape3(8, 7, 8);
        var stride = new Shape3(3, 4, 2);
        var random = new Random(11);
        var image = Enumerable.Range(0, shape.Count).Select(_ => (float)(2 * random.NextDouble() - 0.5)).ToArray();
        var options = new SlidingWindowOptions(patch, stride) { GaussianWeighting = gaussian };

        var result = new SlidingWindowPredictor(ToyNetwork, CPU, maxBatch).Predict(image, shape, options);

        var reference = ReferenceProbability(image, shape, patch, stride, gaussian);
        Assert.Equal(new Shape3(0, 0, 1), result.Plan.PadBefore);
        Assert.Equal(5 * 3 * 1, result.Plan.WindowCount);           // X starts 0, 3, 6, 9, 11; Y 0, 4, 7; Z 0
        for (int i = 0; i < shape.Count; i++)
        {
            Assert.True(Math.Abs(reference[i] - result.Probability.Data[i]) <= 1e-5, $"voxel {i}: {result.Probability.Data[i]} vs reference {reference[i]}");
            Assert.Equal(result.Probability.Data[i] > 0.5f ? 1 : 0, result.Mask.Data[i]);
        }
    }

    [Fact]
    public void EachBatchRunsInItsOwnDisposeScopeSoTheLiveTensorCountStaysFlat()
    {
        static long Settled()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return Tensor.TotalCount;
        }
        var shape = new Shape3(24, 20, 9);
        var image = SmoothImage(shape);
        var options = new SlidingWindowOptions(new Shape3(8, 8, 8), new Shape3(2, 2, 1));
        var liveAtEachBatch = new List<long>();
        var predictor = new SlidingWindowPredictor(windows =>
        {
            liveAtEachBatch.Add(Tensor.TotalCount);
            return ToyNetwork(windows);
        }, CPU, maxBatch: 3);
        predictor.Predict(image, shape, options);   // warm-up: anything TorchSharp creates once
        long before = Settled();
        liveAtEachBatch.Clear();
        var result = predictor.Predict(image, shape, options);
        Assert.Equal(before, Settled());
        Assert.Equal(9 * 7 * 2, result.Plan.WindowCount);            // 42 full batches of 3
        // Every batch starts with the same tensors alive: nothing of the previous batches is kept.
        Assert.Single(liveAtEachBatch.Distinct());
    }
}
