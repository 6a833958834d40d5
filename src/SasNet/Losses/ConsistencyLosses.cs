using SasNet.Geometry;
using SasNet.Method;
using SasNet.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasNet.Losses;

/// <summary>
/// L_plc, pseudo-label cross supervision (paper §3.4.2, Eq. 15; docs/method.md §5.2): every branch's probabilities
/// are pulled towards the sharpened probabilities of every other branch.
/// </summary>
public static class CrossSupervisionLoss
{
    /// <summary>
    /// Σ over ordered pairs i ≠ j of mean((P_i − s(P_j))²) over batch, both channels and all voxels; s is
    /// <see cref="Sharpening.Apply(Tensor, double)"/>. Probabilities: one (B, 2, X, Y, Z) tensor per branch.
    /// As in the official code the pseudo-label s(P_j) is <b>not</b> detached: the official train.py copies
    /// <c>sharpening(y_prob_all)</c> into a buffer with an in-place slice assignment, which autograd tracks, so gradients
    /// flow into both terms. Pass <paramref name="detachPseudoLabels"/> to treat the targets as constants instead.
    /// With one branch there is no pair and the loss is 0.
    /// </summary>
    public static Tensor Compute(IReadOnlyList<Tensor> probabilities, double temperature = Sharpening.DefaultTemperature, bool detachPseudoLabels = false)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.Count == 0) throw new ArgumentException("L_plc needs the probabilities of at least one branch", nameof(probabilities));
        if (probabilities.Count == 1) return zeros([], probabilities[0].dtype, probabilities[0].device);
        var pseudo = probabilities.Select(p => Sharpening.Apply(detachPseudoLabels ? p.detach() : p, temperature)).ToArray();
        var terms = new List<Tensor>();
        for (int i = 0; i < probabilities.Count; i++)
            for (int j = 0; j < probabilities.Count; j++)
            {
                if (i == j) continue;
                SegmentationLosses.CheckSameShape(probabilities[i], pseudo[j], "L_plc");
                terms.Add(F.mse_loss(probabilities[i], pseudo[j]));
            }
        return terms.Aggregate((a, b) => a + b);
    }
}

/// <summary>
/// L_src, segmentation–regression consistency (paper §3.4.3, Eq. 16, Fig. 5; docs/method.md §5.3): the ensemble
/// prediction is thresholded, turned into a normalised signed distance map on the CPU (no gradient), and every
/// branch's SDM head regresses it.
/// </summary>
public static class SdmConsistencyLoss
{
    /// <summary>
    /// The regression target: SDM of (P_ens[:, 1] &gt; 0.5) per sample, computed with
    /// <see cref="SignedDistanceMap.ComputeBatch(ReadOnlySpan{byte}, int, Shape3, Spacing3?)"/> in voxel units.
    /// Ensemble (B, 2, X, Y, Z) → SDM (B, X, Y, Z) float32 on the ensemble's device, without gradient.
    /// </summary>
    public static Tensor Target(Tensor ensemble)
    {
        var s = ensemble.shape;
        if (s.Length != 5 || s[1] != 2)
            throw new ArgumentException($"the ensemble must be two-class probabilities (B, 2, X, Y, Z), got [{string.Join(", ", s)}]", nameof(ensemble));
        using var grad = no_grad();
        using var scope = NewDisposeScope();
        var mask = ensemble.select(1, 1).gt(0.5).to(ScalarType.Byte).cpu().data<byte>().ToArray();
        var shape = new Shape3((int)s[2], (int)s[3], (int)s[4]);
        var sdm = SignedDistanceMap.ComputeBatch(mask, (int)s[0], shape);
        return tensor(sdm, [s[0], s[2], s[3], s[4]]).to(ensemble.device).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Σ over branches of mean((SDM − tanh_b[:, 1])²) with the SDM of <see cref="Target"/>. SDM (B, X, Y, Z); each
    /// SDM prediction (B, X, Y, Z) (channel 1 of the tanh head, see <see cref="BranchOutput.SdmPrediction"/>).
    /// </summary>
    public static Tensor Compute(Tensor targetSdm, IReadOnlyList<Tensor> sdmPredictions)
    {
        ArgumentNullException.ThrowIfNull(sdmPredictions);
        if (sdmPredictions.Count == 0) throw new ArgumentException("L_src needs at least one SDM prediction", nameof(sdmPredictions));
        foreach (var prediction in sdmPredictions) SegmentationLosses.CheckSameShape(prediction, targetSdm, "L_src");
        return sdmPredictions.Select(p => F.mse_loss(p, targetSdm)).Aggregate((a, b) => a + b);
    }

    /// <summary>L_src of a SASNet forward: the target from <paramref name="ensemble"/>, regressed by every branch's SDM channel.</summary>
    public static Tensor Compute(Tensor ensemble, SasNetOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return Compute(Target(ensemble), output.Branches.Select(b => b.SdmPrediction()).ToArray());
    }
}

/// <summary>Losses of the SASSNet baseline (Li et al. 2020; docs/method.md §7.2).</summary>
public static class SassNetLosses
{
    /// <summary>Weight of the SDM regression in the supervised loss (the official <c>beta = 0.3</c>).</summary>
    public const double SdmWeight = 0.3;

    /// <summary>ε of the UA-MT / SASSNet <c>dice_loss</c>.</summary>
    public const double DiceSmooth = 1e-5;

    /// <summary>
    /// The UA-MT / SASSNet <c>dice_loss</c>: 1 − (2Σpg + 1e-5)/(Σp² + Σg² + 1e-5) over the whole batch (squared sums,
    /// unlike SASNet's). Probability and target (B, X, Y, Z).
    /// </summary>
    public static Tensor Dice(Tensor foregroundProbability, Tensor target)
    {
        SegmentationLosses.CheckSameShape(foregroundProbability, target, "SASSNet Dice loss");
        var g = target.to(foregroundProbability.dtype);
        var intersection = (foregroundProbability * g).sum();
        return 1 - (2 * intersection + DiceSmooth) / (foregroundProbability.square().sum() + g.square().sum() + DiceSmooth);
    }

    /// <summary>
    /// Supervised SASSNet loss on the labeled samples: Dice(sigmoid(seg), label == 1) + 0.3·MSE(tanh, GT SDM).
    /// Output tensors (L, 1, X, Y, Z); labels (L, X, Y, Z); GT SDM (L, X, Y, Z) (SDM of the label, see
    /// <see cref="SignedDistanceMap"/>).
    /// </summary>
    public static Tensor Supervised(Tensor segmentationLogits, Tensor tanh, Tensor labels, Tensor groundTruthSdm, double sdmWeight = SdmWeight)
    {
        var dice = Dice(segmentationLogits.sigmoid().select(1, 0), labels.eq(1));
        var sdm = tanh.select(1, 0);
        SegmentationLosses.CheckSameShape(sdm, groundTruthSdm, "SASSNet SDM loss");
        return dice + F.mse_loss(sdm, groundTruthSdm) * sdmWeight;
    }

    /// <summary>
    /// Adversarial term of the segmentation network: CE(D(tanh_unlabeled, image_unlabeled), class 1) — the network is
    /// rewarded when D takes its unlabeled SDMs for labeled ones. Discriminator logits (U, 2).
    /// </summary>
    public static Tensor Adversarial(Tensor discriminatorLogitsOnUnlabeled) =>
        DiscriminatorTarget(discriminatorLogitsOnUnlabeled, labeledCount: discriminatorLogitsOnUnlabeled.size(0));

    /// <summary>
    /// Discriminator loss: CE(D(tanh, image), target) with target 1 for the first <paramref name="labeledCount"/>
    /// samples (labeled) and 0 for the rest. Logits (B, 2), from SDMs detached from the segmentation network.
    /// </summary>
    public static Tensor DiscriminatorTarget(Tensor discriminatorLogits, long labeledCount)
    {
        var s = discriminatorLogits.shape;
        if (s.Length != 2 || s[1] != 2) throw new ArgumentException($"discriminator logits must be (B, 2), got [{string.Join(", ", s)}]");
        if (labeledCount < 0 || labeledCount > s[0]) throw new ArgumentOutOfRangeException(nameof(labeledCount), labeledCount, $"batch has {s[0]} samples");
        var targets = new long[s[0]];
        for (int i = 0; i < labeledCount; i++) targets[i] = 1;
        return F.cross_entropy(discriminatorLogits, tensor(targets).to(discriminatorLogits.device));
    }
}
