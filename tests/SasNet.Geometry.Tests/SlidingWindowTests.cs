using SasNet.Geometry;

namespace SasNet.Geometry.Tests;

public class SlidingWindowTests
{
    /// <summary>Returns the input voxel values as probabilities and records every window it saw.</summary>
    private sealed class EchoPredictor(int maxBatch) : IWindowPredictor
    {
        public int MaxBatch => maxBatch;
        public List<int> BatchSizes { get; } = [];
        public List<float[]> Windows { get; } = [];

        public void Predict(ReadOnlySpan<float> windows, int count, Shape3 patch, Span<float> foreground)
        {
            Assert.InRange(count, 1, maxBatch);
            Assert.Equal(count * patch.Count, windows.Length);
            Assert.Equal(count * patch.Count, foreground.Length);
            BatchSizes.Add(count);
            for (int k = 0; k < count; k++) Windows.Add(windows.Slice(k * patch.Count, patch.Count).ToArray());
            windows.CopyTo(foreground);
        }
    }

    /// <summary>Predicts the same constant for every voxel of a window: the window's sequence number / 100.</summary>
    private sealed class WindowIndexPredictor : IWindowPredictor
    {
        private int _next;
        public int MaxBatch => 3;
        public void Predict(ReadOnlySpan<float> windows, int count, Shape3 patch, Span<float> foreground)
        {
            for (int k = 0; k < count; k++) foreground.Slice(k * patch.Count, patch.Count).Fill(_next++ / 100f);
        }
    }

    private sealed class LazyPredictor : IWindowPredictor
    {
        public int MaxBatch => 1;
        public void Predict(ReadOnlySpan<float> windows, int count, Shape3 patch, Span<float> foreground) { }
    }

    private static float[] SmoothImage(Shape3 shape) =>
        Enumerable.Range(0, shape.Count).Select(i =>
        {
            int x = i / (shape.Y * shape.Z), y = i / shape.Z % shape.Y, z = i % shape.Z;
            return (float)(0.5 + 0.45 * Math.Sin(0.3 * x + 0.2 * y) * Math.Cos(0.25 * z));
        }).ToArray();

    [Theory]
    [InlineData(120, 112, 18, new[] { 0, 8 })]
    [InlineData(88, 80, 4, new[] { 0, 4, 8 })]
    [InlineData(112, 112, 18, new[] { 0 })]
    [InlineData(130, 96, 16, new[] { 0, 16, 32, 34 })]
    public void WindowStarts_FollowTheOfficialFormula(int size, int patch, int stride, int[] expected) =>
        Assert.Equal(expected, SlidingWindow.WindowStarts(size, patch, stride));

    [Fact]
    public void WindowStarts_CountAndPlacement_ForManySizes()
    {
        for (int patch = 1; patch <= 9; patch++)
            for (int size = patch; size <= 30; size++)
                for (int stride = 1; stride <= 12; stride++)
                {
                    var starts = SlidingWindow.WindowStarts(size, patch, stride);
                    Assert.Equal((int)Math.Ceiling((size - patch) / (double)stride) + 1, starts.Length);
                    for (int i = 0; i < starts.Length; i++) Assert.Equal(Math.Min(stride * i, size - patch), starts[i]);
                    Assert.Equal(size - patch, starts[^1]);     // the last window reaches the edge
                }
    }

    [Fact]
    public void Plan_PadsShortAxes_FloorBeforeRestAfter()
    {
        var options = new SlidingWindowOptions(new Shape3(112, 112, 80), new Shape3(18, 18, 4));
        var plan = SlidingWindow.Plan(new Shape3(105, 130, 80), options);
        Assert.Equal(new Shape3(112, 130, 80), plan.Padded);
        Assert.Equal(new Shape3(3, 0, 0), plan.PadBefore);           // 7 zeros: 3 before, 4 after
        Assert.Equal([0], plan.StartsX);
        Assert.Equal([0, 18], plan.StartsY);
        Assert.Equal(2, plan.WindowCount);
    }

    [Fact]
    public void EchoPredictor_ReproducesTheImage_AndSeesEveryPlannedWindowInOrder()
    {
        var shape = new Shape3(21, 17, 13);
        var options = new SlidingWindowOptions(new Shape3(8, 9, 6), new Shape3(5, 4, 3));
        var image = SmoothImage(shape);
        var predictor = new EchoPredictor(maxBatch: 4);
        var result = SlidingWindow.Predict(image, shape, predictor, options);

        Assert.Equal(image, result.Probability.Data);                 // exact: every window predicts the same value
        for (int i = 0; i < image.Length; i++) Assert.Equal(image[i] > 0.5f ? 1 : 0, result.Mask.Data[i]);

        var plan = result.Plan;
        Assert.Equal(plan.WindowCount, predictor.Windows.Count);
        Assert.All(predictor.BatchSizes.SkipLast(1), size => Assert.Equal(4, size));
        int k = 0;
        foreach (int x in plan.StartsX)
            foreach (int y in plan.StartsY)
                foreach (int z in plan.StartsZ)
                {
                    var window = predictor.Windows[k++];
                    Assert.Equal(image[shape.Index(x, y, z)], window[0]);
                    Assert.Equal(image[shape.Index(x + 7, y + 8, z + 5)], window[^1]);
                }
    }

    [Fact]
    public void OverlappingWindows_AreAveraged()
    {
        var shape = new Shape3(10, 6, 7);
        var options = new SlidingWindowOptions(new Shape3(6, 6, 4), new Shape3(2, 3, 2));
        var result = SlidingWindow.Predict(new float[shape.Count], shape, new WindowIndexPredictor(), options);

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
    public void VolumeSmallerThanPatch_IsPaddedAndCroppedBack()
    {
        var shape = new Shape3(5, 12, 3);
        var image = SmoothImage(shape);
        var predictor = new EchoPredictor(maxBatch: 8);
        var spacing = new Spacing3(0.5, 0.5, 2);
        var result = SlidingWindow.Predict(new Volume<float>(shape, image, spacing), predictor, new SlidingWindowOptions(new Shape3(8, 8, 8), new Shape3(4, 4, 4)));
        Assert.Equal(shape, result.Probability.Shape);
        Assert.Equal(spacing, result.Mask.Spacing);
        Assert.Equal(image, result.Probability.Data);
        Assert.Equal(new Shape3(8, 12, 8), result.Plan.Padded);
        Assert.Equal(new Shape3(1, 0, 2), result.Plan.PadBefore);
        // Window (0,0,0) of the padded volume: the image starts at offset (1, 0, 2) inside it, zeros around.
        var first = predictor.Windows[0];
        var patch = new Shape3(8, 8, 8);
        Assert.Equal(0f, first[patch.Index(0, 0, 0)]);
        Assert.Equal(image[shape.Index(0, 0, 0)], first[patch.Index(1, 0, 2)]);
        Assert.Equal(0f, first[patch.Index(6, 0, 2)]);
        Assert.Equal(0f, first[patch.Index(1, 0, 5)]);
    }

    [Fact]
    public void GaussianWeighting_KeepsConsistentPredictions_AndPeaksInTheCentre()
    {
        var shape = new Shape3(20, 18, 16);
        var image = SmoothImage(shape);
        var options = new SlidingWindowOptions(new Shape3(8, 8, 8), new Shape3(3, 3, 3)) { GaussianWeighting = true };
        var result = SlidingWindow.Predict(image, shape, new EchoPredictor(16), options);
        for (int i = 0; i < image.Length; i++) Assert.Equal(image[i], result.Probability.Data[i], 6);

        var weights = SlidingWindow.WindowWeights(new Shape3(9, 8, 7), gaussian: true);
        var patch = new Shape3(9, 8, 7);
        Assert.Equal(1f, weights.Max(), 6);
        Assert.Equal(weights[patch.Index(0, 0, 0)], weights[patch.Index(8, 7, 6)], 6);   // symmetric
        Assert.True(weights[patch.Index(4, 3, 3)] > weights[patch.Index(1, 3, 3)]);
        // σ = patch/8: one σ away from the centre along X the weight drops by exp(−1/2) relative to the centre row.
        double sigmaX = 9 / 8.0;
        double ratio = weights[patch.Index(4, 3, 3)] / weights[patch.Index(3, 3, 3)];
        Assert.Equal(Math.Exp(1 / (2 * sigmaX * sigmaX)), ratio, 4);
        Assert.All(SlidingWindow.WindowWeights(patch, gaussian: false), w => Assert.Equal(1f, w));
    }

    [Fact]
    public void ThresholdIsStrict_AndLargestComponentIsOptional()
    {
        var shape = new Shape3(9, 3, 3);
        var image = new float[shape.Count];
        Array.Fill(image, 0.5f);                                  // exactly 0.5: a tie, goes to background
        image[shape.Index(0, 1, 1)] = 0.9f;                        // small blob
        for (int x = 4; x < 8; x++) image[shape.Index(x, 1, 1)] = 0.8f;   // larger blob
        var options = new SlidingWindowOptions(new Shape3(4, 3, 3), new Shape3(2, 1, 1));
        var plain = SlidingWindow.Predict(image, shape, new EchoPredictor(2), options);
        Assert.Equal(5, plain.Mask.Data.Sum(v => v));
        var largest = SlidingWindow.Predict(image, shape, new EchoPredictor(2), options with { KeepLargestComponent = true });
        Assert.Equal(4, largest.Mask.Data.Sum(v => v));
        Assert.Equal(0, largest.Mask[0, 1, 1]);
    }

    [Fact]
    public void BadArguments_AreRejectedWithSpecificMessages()
    {
        var shape = new Shape3(4, 4, 4);
        var image = new float[shape.Count];
        var zeroStride = new SlidingWindowOptions(new Shape3(2, 2, 2), new Shape3(1, 0, 1));
        Assert.Contains("strides must be positive", Assert.Throws<ArgumentException>(() => SlidingWindow.Predict(image, shape, new EchoPredictor(1), zeroStride)).Message);
        var good = new SlidingWindowOptions(new Shape3(2, 2, 2), new Shape3(1, 1, 1));
        Assert.Contains("MaxBatch", Assert.Throws<ArgumentException>(() => SlidingWindow.Predict(image, shape, new EchoPredictor(0), good)).Message);
        Assert.Contains("needs 64 values", Assert.Throws<ArgumentException>(() => SlidingWindow.Predict(new float[63], shape, new EchoPredictor(1), good)).Message);
        Assert.Contains("patch sizes must be positive", Assert.Throws<ArgumentException>(() => SlidingWindow.Plan(shape, new SlidingWindowOptions(new Shape3(0, 2, 2), new Shape3(1, 1, 1)))).Message);
        Assert.Throws<ArgumentException>(() => SlidingWindow.WindowStarts(3, 4, 1));
        Assert.Contains("non-finite", Assert.Throws<InvalidOperationException>(() => SlidingWindow.Predict(image, shape, new LazyPredictor(), good)).Message);
    }
}
