using SasNet.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasNet.Losses;

/// <summary>Which supervised loss L_seg uses (paper Eq. 12; docs/method.md §5.1).</summary>
public enum SupervisedLoss
{
    /// <summary>Dice on the foreground probability only, as the official SASNet code (the default).</summary>
    Dice,
    /// <summary>Dice + cross-entropy, as the paper's Eq. 12.</summary>
    DiceCe,
}

/// <summary>Supervised segmentation losses.</summary>
public static class SegmentationLosses
{
    /// <summary>ε of the SASNet Dice loss (the official <c>Binary_dice_loss(…, ep=1e-8)</c>).</summary>
    public const double DiceEpsilon = 1e-8;

    /// <summary>
    /// Soft Dice loss 1 − (2Σpg + ε)/(Σp + Σg + ε) over every element of the batch together (Eq. 13 as the official
    /// <c>Binary_dice_loss</c> computes it: sums over the whole batch, not a mean of per-sample scores; plain sums in the
    /// denominator, not squares). <paramref name="foregroundProbability"/> (B, X, Y, Z) in [0, 1];
    /// <paramref name="target"/> (B, X, Y, Z), 0/1 (any dtype). Returns a scalar.
    /// </summary>
    public static Tensor Dice(Tensor foregroundProbability, Tensor target, double epsilon = DiceEpsilon)
    {
        CheckSameShape(foregroundProbability, target, "Dice loss");
        var g = target.to(foregroundProbability.dtype);
        var intersection = (foregroundProbability * g).sum();
        return 1 - (2 * intersection + epsilon) / (foregroundProbability.sum() + g.sum() + epsilon);
    }

    /// <summary>
    /// L_seg of one branch (Eqs. 12–14): Dice on softmax(logits)[:, 1] against labels == 1, plus the mean cross-entropy
    /// when <paramref name="kind"/> is <see cref="SupervisedLoss.DiceCe"/>. Logits (B, C, X, Y, Z); labels (B, X, Y, Z) class indices.
    /// </summary>
    public static Tensor Supervised(Tensor logits, Tensor labels, SupervisedLoss kind = SupervisedLoss.Dice)
    {
        if (logits.ndim != 5 || logits.size(1) < 2)
            throw new ArgumentException($"segmentation logits must be (B, C ≥ 2, X, Y, Z), got [{string.Join(", ", logits.shape)}]", nameof(logits));
        var foreground = F.softmax(logits, 1).select(1, 1);
        var dice = Dice(foreground, labels.eq(1));
        if (kind == SupervisedLoss.Dice) return dice;
        return dice + F.cross_entropy(logits, labels.to(ScalarType.Int64));
    }

    /// <summary>
    /// L_seg of SASNet (Eqs. 12–14; docs/method.md §5.1): the sum over the branches of <see cref="Supervised(Tensor, Tensor, SupervisedLoss)"/> on the first
    /// <paramref name="labeledCount"/> samples (the labeled part of the batch). Labels (≥ L, X, Y, Z).
    /// </summary>
    public static Tensor Supervised(SasNetOutput output, Tensor labels, int labeledCount, SupervisedLoss kind = SupervisedLoss.Dice)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (labeledCount < 1) throw new ArgumentOutOfRangeException(nameof(labeledCount), labeledCount, "L_seg needs at least one labeled sample");
        var groundTruth = labels.narrow(0, 0, labeledCount);
        return output.Branches.Select(b => Supervised(b.Logits.narrow(0, 0, labeledCount), groundTruth, kind)).Aggregate((a, b) => a + b);
    }

    internal static void CheckSameShape(Tensor a, Tensor b, string what)
    {
        if (!a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"{what}: prediction [{string.Join(", ", a.shape)}] and target [{string.Join(", ", b.shape)}] differ in shape");
    }
}
