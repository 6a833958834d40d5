using SasNet.Geometry;
using SasNet.Losses;
using SasNet.Method;
using SasNet.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SasNet.Tests.Method;

public class LossTests
{
    [Fact]
    public void DiceLossOnHandComputedValues()
    {
        using var scope = NewDisposeScope();
        var p = tensor(new float[] { 1, 0, 0.5f, 0.5f }, [1, 1, 2, 2]);
        var g = tensor(new long[] { 1, 0, 1, 0 }, [1, 1, 2, 2]);
        Assert.Equal(0.25, SegmentationLosses.Dice(p, g).ToDouble(), 6);          // 1 − 2·1.5/(2 + 2)
        Assert.Equal(0.0, SegmentationLosses.Dice(zeros([1, 1, 2, 2]), zeros([1, 1, 2, 2])).ToDouble(), 6); // ε/ε
        Assert.Equal(1 - 3.0 / 3.5, SassNetLosses.Dice(p, g).ToDouble(), 5);       // squared sums: 1 − 3/(1.5 + 2)
    }

    [Fact]
    public void SupervisedLossDiceAndDiceCe()
    {
        using var scope = NewDisposeScope();
        var logits = zeros([1, 2, 1, 1, 2]); // softmax 0.5 everywhere
        var labels = tensor(new long[] { 1, 0 }, [1, 1, 1, 2]);
        Assert.Equal(0.5, SegmentationLosses.Supervised(logits, labels).ToDouble(), 6);
        Assert.Equal(0.5 + Math.Log(2), SegmentationLosses.Supervised(logits, labels, SupervisedLoss.DiceCe).ToDouble(), 5);

        var output = new SasNetOutput(new BranchOutput(Branch.Low, zeros([2, 2, 1, 1, 2]), zeros([2, 2, 1, 1, 2])),
            new BranchOutput(Branch.High, zeros([2, 2, 1, 1, 2]), zeros([2, 2, 1, 1, 2])));
        Assert.Equal(1.0, SegmentationLosses.Supervised(output, labels, labeledCount: 1).ToDouble(), 6); // two branches × 0.5
    }

    [Fact]
    public void CrossSupervisionLossAndItsGradients()
    {
        using var scope = NewDisposeScope();
        double s06 = Sharpening.Apply(0.6), s04 = Sharpening.Apply(0.4);
        double expected = 0.01 + ((0.5 - s06) * (0.5 - s06) + (0.5 - s04) * (0.5 - s04)) / 2;

        var p1 = tensor(new float[] { 0.6f, 0.4f }, [1, 2, 1, 1, 1]).requires_grad_();
        var p2 = tensor(new float[] { 0.5f, 0.5f }, [1, 2, 1, 1, 1]).requires_grad_();
        var loss = CrossSupervisionLoss.Compute([p1, p2]);
        Assert.Equal(expected, loss.ToDouble(), 5);
        loss.backward();
        var attached = p1.grad!.data<float>().ToArray();

        var q1 = tensor(new float[] { 0.6f, 0.4f }, [1, 2, 1, 1, 1]).requires_grad_();
        var q2 = tensor(new float[] { 0.5f, 0.5f }, [1, 2, 1, 1, 1]).requires_grad_();
        var detached = CrossSupervisionLoss.Compute([q1, q2], detachPseudoLabels: true);
        Assert.Equal(expected, detached.ToDouble(), 5);
        detached.backward();
        var onlyOwnTerm = q1.grad!.data<float>().ToArray();
        // d/dP1 mean((P1 − 0.5)²) over 2 elements = P1 − 0.5
        Assert.Equal(0.1f, onlyOwnTerm[0], 5);
        Assert.Equal(-0.1f, onlyOwnTerm[1], 5);
        // the official (non-detached) loss also pushes P1 through its pseudo-label s(P1)
        Assert.True(Math.Abs(attached[0] - onlyOwnTerm[0]) > 1e-3);

        Assert.Equal(0.0, CrossSupervisionLoss.Compute([p1]).ToDouble());
    }

    [Fact]
    public void SdmConsistencyUsesTheThresholdedEnsemble()
    {
        using var scope = NewDisposeScope();
        var shape = new Shape3(1, 1, 6);
        var foreground = new double[] { 0.1, 0.6, 0.9, 0.7, 0.2, 0.4 };
        var fg = tensor(foreground.Select(v => (float)v).ToArray(), [1, 1, 1, 1, 6]);
        var ensemble = cat([1 - fg, fg], 1);
        var target = SdmConsistencyLoss.Target(ensemble);
        var mask = foreground.Select(v => (byte)(v > 0.5 ? 1 : 0)).ToArray();
        var expected = SignedDistanceMap.Compute(mask, shape);
        Assert.Equal(expected, target.data<float>().ToArray());

        double meanSquare = expected.Select(v => (double)v * v).Average();
        var zeroPrediction = zeros([1, 1, 1, 6]);
        Assert.Equal(2 * meanSquare, SdmConsistencyLoss.Compute(target, [zeroPrediction, zeroPrediction]).ToDouble(), 5);

        var output = new SasNetOutput(new BranchOutput(Branch.Low, zeros([1, 2, 1, 1, 6]), zeros([1, 2, 1, 1, 6])), null);
        Assert.Equal(meanSquare, SdmConsistencyLoss.Compute(ensemble, output).ToDouble(), 5);
    }

    [Fact]
    public void SassNetSupervisedAndAdversarialLosses()
    {
        using var scope = NewDisposeScope();
        var seg = zeros([1, 1, 1, 1, 2]);   // sigmoid 0.5
        var tanh = zeros([1, 1, 1, 1, 2]);
        var labels = tensor(new long[] { 1, 0 }, [1, 1, 1, 2]);
        var gtSdm = tensor(new float[] { -1, 1 }, [1, 1, 1, 2]);
        // Dice with squared sums: 1 − (2·0.5 + 1e-5)/(0.5 + 1 + 1e-5); MSE = 1
        double dice = 1 - (1 + 1e-5) / (1.5 + 1e-5);
        Assert.Equal(dice + 0.3, SassNetLosses.Supervised(seg, tanh, labels, gtSdm).ToDouble(), 5);

        var dLogits = zeros([4, 2]);
        Assert.Equal(Math.Log(2), SassNetLosses.DiscriminatorTarget(dLogits, 2).ToDouble(), 5);
        var favourLabeled = tensor(new float[] { 0, 5, 0, 5 }, [2, 2]);
        Assert.True(SassNetLosses.Adversarial(favourLabeled).ToDouble() < 0.01);
    }
}
