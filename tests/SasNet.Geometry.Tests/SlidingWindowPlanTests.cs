using SasNet.Geometry;

namespace SasNet.Geometry.Tests;

/// <summary>Window placement and weights of sliding-window inference; the inference itself is tested in SasNet.Tests/Inference.</summary>
public class SlidingWindowPlanTests
{
    [Theory]
    [InlineData(120, 112, 18, new[] { 0, 8 })]
    [InlineData(88, 80, 4, new[] { 0, 4, 8 })]
    [InlineData(112, 112, 18, new[] { 0 })]
    [InlineData(130, 96, 16, new[] { 0, 16, 32, 34 })]
    public void WindowStartsFollowTheOfficialFormula(int size, int patch, int stride, int[] expected) =>
        Assert.Equal(expected, SlidingWindowPlan.WindowStarts(size, patch, stride));

    [Fact]
    public void WindowStartsCountAndPlacementForManySizes()
    {
        for (int patch = 1; patch <= 9; patch++)
            for (int size = patch; size <= 30; size++)
                for (int stride = 1; stride <= 12; stride++)
                {
                    var starts = SlidingWindowPlan.WindowStarts(size, patch, stride);
                    Assert.Equal((int)Math.Ceiling((size - patch) / (double)stride) + 1, starts.Length);
                    for (int i = 0; i < starts.Length; i++) Assert.Equal(Math.Min(stride * i, size - patch), starts[i]);
                    Assert.Equal(size - patch, starts[^1]);     // the last window reaches the edge
                }
    }

    [Fact]
    public void PlanPadsShortAxesFloorBeforeRestAfter()
    {
        var plan = SlidingWindowPlan.Create(new Shape3(105, 130, 80), new Shape3(112, 112, 80), new Shape3(18, 18, 4));
        Assert.Equal(new Shape3(112, 130, 80), plan.Padded);
        Assert.Equal(new Shape3(3, 0, 0), plan.PadBefore);           // 7 zeros: 3 before, 4 after
        Assert.Equal([0], plan.StartsX);
        Assert.Equal([0, 18], plan.StartsY);
        Assert.Equal(2, plan.WindowCount);
    }

    [Fact]
    public void StartsAreXMajorLikeTheOfficialLoops()
    {
        var plan = SlidingWindowPlan.Create(new Shape3(21, 17, 13), new Shape3(8, 9, 6), new Shape3(5, 4, 3));
        var starts = plan.Starts();
        Assert.Equal(plan.WindowCount, starts.Count);
        int k = 0;
        foreach (int x in plan.StartsX)
            foreach (int y in plan.StartsY)
                foreach (int z in plan.StartsZ)
                    Assert.Equal((x, y, z), starts[k++]);
    }

    [Fact]
    public void GaussianWeightsPeakInTheCentre()
    {
        var weights = SlidingWindowPlan.WindowWeights(new Shape3(9, 8, 7), gaussian: true);
        var patch = new Shape3(9, 8, 7);
        Assert.Equal(1f, weights.Max(), 6);
        Assert.Equal(weights[patch.Index(0, 0, 0)], weights[patch.Index(8, 7, 6)], 6);   // symmetric
        Assert.True(weights[patch.Index(4, 3, 3)] > weights[patch.Index(1, 3, 3)]);
        // σ = patch/8: one σ away from the centre along X the weight drops by exp(−1/2) relative to the centre row.
        double sigmaX = 9 / 8.0;
        double ratio = weights[patch.Index(4, 3, 3)] / weights[patch.Index(3, 3, 3)];
        Assert.Equal(Math.Exp(1 / (2 * sigmaX * sigmaX)), ratio, 4);
        Assert.All(SlidingWindowPlan.WindowWeights(patch, gaussian: false), w => Assert.Equal(1f, w));
    }

    [Fact]
    public void BadArgumentsAreRejectedWithSpecificMessages()
    {
        var shape = new Shape3(4, 4, 4);
        Assert.Contains("strides must be positive", Assert.Throws<ArgumentException>(() => SlidingWindowPlan.Create(shape, new Shape3(2, 2, 2), new Shape3(1, 0, 1))).Message);
        Assert.Contains("patch sizes must be positive", Assert.Throws<ArgumentException>(() => SlidingWindowPlan.Create(shape, new Shape3(0, 2, 2), new Shape3(1, 1, 1))).Message);
        Assert.Throws<ArgumentException>(() => SlidingWindowPlan.WindowStarts(3, 4, 1));
    }
}
