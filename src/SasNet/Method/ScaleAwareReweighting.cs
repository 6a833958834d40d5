using SasNet.Geometry;
using SasNet.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasNet.Method;

/// <summary>How labeled samples are ensembled.</summary>
public enum SarMode
{
    /// <summary>
    /// The paper's equations (Eqs. 4–8; docs/method.md §3): each labeled sample is weighted by the confidence maps of its own
    /// case and of the branch that produced the prediction, mapped through its crop and view; each branch's new
    /// confidence goes back into that same map. The default.
    /// </summary>
    Paper,

    /// <summary>
    /// The indexing of the official <c>train.py</c>, reproduced deliberately (it needs exactly 2 labeled samples, as there
    /// are 2 branches). With official branch order o = 0 high, o = 1 low and labeled samples s = 0, 1, maps M[case][o]:
    /// <list type="bullet">
    /// <item>weights: sample s of branch o is weighted by M[s][o] through sample s's crop and view when s = o, but by
    /// M[o][s] at sample o's crop, without any view mapping, when s ≠ o (case and branch indices trade places);</item>
    /// <item>updates: M[0][high] ← c(high, sample 0) and M[1][low] ← c(low, sample 1) (correct); M[0][low] ← c(high, sample 1)
    /// written at sample 0's crop in sample 1's view orientation; M[1][high] keeps its values but is marked visited.</item>
    /// </list>
    /// The running average rule (visited: (old + new)/2, else new) is the same as in <see cref="Paper"/>.
    /// </summary>
    OfficialCode,

    /// <summary>No reweighting ("w/o SAR" rows of Tables 6–8): labeled samples are ensembled like unlabeled ones, (P_low + P_high)/2.</summary>
    None,
}

/// <summary>
/// Scale-aware Adaptive Reweighting (paper §3.2, Eqs. 4–8, Figs. 3–4; docs/method.md §3). Once per training step:
/// <code>
/// var pLow = softmax(low.Logits, 1); var pHigh = softmax(high.Logits, 1);
/// using var ensemble = sar.Ensemble(pLow, pHigh, labels, patches);   // (B, 2, X, Y, Z), detached
/// </code>
/// For the first L = patches.Count (labeled) samples: P'_b = P_b ⊙ (1 + α·C_b[patch]) (Eqs. 4–5), P_ens = softmax(P'_low + P'_high)
/// (Eq. 6), then c_b = P_b[GT] (Eqs. 7–8) is folded into C_b. For the other (unlabeled) samples P_ens = (P_low + P_high)/2.
/// The ensemble is only thresholded into the L_src target, so it is computed without gradient.
/// </summary>
public sealed class ScaleAwareReweighting
{
    /// <summary>The residual coefficient α of Eqs. 4–5 used in the paper.</summary>
    public const double DefaultAlpha = 0.5;

    /// <summary>
    /// The one rule for α, used here and by <see cref="Training.ExperimentConfig.Validate"/>: it lies in [0, 1]. α = 0
    /// switches the reweighting off; above 1 a confident voxel would more than double its probability before Eq. 6.
    /// </summary>
    public static bool IsValidAlpha(double alpha) => alpha is >= 0 and <= 1;

    /// <summary>Creates the strategy with its own (or a shared) confidence store.</summary>
    public ScaleAwareReweighting(SarMode mode = SarMode.Paper, double alpha = DefaultAlpha, ConfidenceStore? store = null)
    {
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown SAR mode");
        if (!IsValidAlpha(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must lie in [0, 1] (the paper uses 0.5)");
        Mode = mode;
        Alpha = alpha;
        Store = store ?? new ConfidenceStore();
    }

    /// <summary>Indexing behaviour.</summary>
    public SarMode Mode { get; }

    /// <summary>Residual coefficient α.</summary>
    public double Alpha { get; }

    /// <summary>The per-case, per-branch confidence maps.</summary>
    public ConfidenceStore Store { get; }

    /// <summary>
    /// P'_low + P'_high, the pre-softmax ensemble of Eq. 6 (the numbers of Fig. 4): P_b ⊙ (1 + α·C_b) summed over branches.
    /// Probabilities (N, 2, X, Y, Z); confidences (N, 1, X, Y, Z) or (N, X, Y, Z), broadcast over both channels.
    /// </summary>
    public static Tensor WeightedSum(Tensor lowProbabilities, Tensor highProbabilities, Tensor lowConfidence, Tensor highConfidence, double alpha)
    {
        return Weight(lowProbabilities, lowConfidence, alpha) + Weight(highProbabilities, highConfidence, alpha);
    }

    /// <summary>P ⊙ (1 + α·C) (Eqs. 4–5) for probabilities (N, 2, X, Y, Z) and confidences (N, X, Y, Z) or (N, 1, X, Y, Z).</summary>
    public static Tensor Weight(Tensor probabilities, Tensor confidence, double alpha)
    {
        var c = confidence.ndim == probabilities.ndim ? confidence : confidence.unsqueeze(1);
        return probabilities * (1 + alpha * c);
    }

    /// <summary>
    /// The ensemble P_ens (B, 2, X, Y, Z) of a batch whose first <c>labeledPatches.Count</c> samples are labeled, and the
    /// confidence update for them.
    /// </summary>
    /// <param name="lowProbabilities">softmax of the low-level logits, (B, 2, X, Y, Z).</param>
    /// <param name="highProbabilities">softmax of the high-level logits, (B, 2, X, Y, Z).</param>
    /// <param name="labels">Ground truth of the labeled samples, (L, X, Y, Z) or (B, X, Y, Z) with values 0/1 (only the first L are read).</param>
    /// <param name="labeledPatches">Where each labeled sample came from, in batch order.</param>
    public Tensor Ensemble(Tensor lowProbabilities, Tensor highProbabilities, Tensor labels, IReadOnlyList<SarPatch> labeledPatches)
    {
        ArgumentNullException.ThrowIfNull(labeledPatches);
        using var grad = no_grad();
        using var scope = NewDisposeScope();
        var shape = lowProbabilities.shape;
        if (shape.Length != 5 || shape[1] != 2 || !highProbabilities.shape.SequenceEqual(shape))
            throw new ArgumentException($"SAR needs two-class probabilities (B, 2, X, Y, Z) of equal shape from both branches, got [{string.Join(", ", shape)}] and [{string.Join(", ", highProbabilities.shape)}]");
        int batch = (int)shape[0];
        int labeled = labeledPatches.Count;
        if (labeled > batch) throw new ArgumentException($"{labeled} labeled patches for a batch of {batch}");
        var low = lowProbabilities.detach();
        var high = highProbabilities.detach();

        Tensor result;
        if (labeled == 0 || Mode == SarMode.None)
        {
            result = (low + high) / 2;
        }
        else
        {
            var spatial = new Shape3((int)shape[2], (int)shape[3], (int)shape[4]);
            for (int s = 0; s < labeled; s++)
                if (labeledPatches[s].NetworkShape != spatial)
                    throw new ArgumentException($"labeled sample {s} ('{labeledPatches[s].CaseKey}') is {labeledPatches[s].NetworkShape} after its view, but the network output is {spatial}");
            var ls = labels.shape;
            if (ls.Length != 4 || ls[0] < labeled || !ls.Skip(1).SequenceEqual(shape.Skip(2)))
                throw new ArgumentException($"labels must be (L, X, Y, Z) matching the probabilities, got [{string.Join(", ", ls)}]");

            var lowLabeled = low.narrow(0, 0, labeled);
            var highLabeled = high.narrow(0, 0, labeled);
            var gt = labels.narrow(0, 0, labeled).to(ScalarType.Int64).unsqueeze(1);
            // c_b = P_b[GT] (Eqs. 7–8), moved to the CPU once for all samples.
            var newLow = lowLabeled.gather(1, gt).squeeze(1).to(ScalarType.Float32).cpu().data<float>().ToArray();
            var newHigh = highLabeled.gather(1, gt).squeeze(1).to(ScalarType.Float32).cpu().data<float>().ToArray();

            var (weightLow, weightHigh) = Mode == SarMode.Paper
                ? ReadPaper(labeledPatches)
                : ReadOfficial(labeledPatches);
            var device = low.device;
            var cLow = tensor(weightLow, [labeled, 1, spatial.X, spatial.Y, spatial.Z]).to(low.dtype, device);
            var cHigh = tensor(weightHigh, [labeled, 1, spatial.X, spatial.Y, spatial.Z]).to(low.dtype, device);
            var sum = WeightedSum(lowLabeled, highLabeled, cLow, cHigh, Alpha);
            var labeledEnsemble = F.softmax(sum, 1);

            if (Mode == SarMode.Paper) WritePaper(labeledPatches, newLow, newHigh);
            else WriteOfficial(labeledPatches, newLow, newHigh);

            if (labeled == batch) result = labeledEnsemble;
            else
            {
                var rest = (low.narrow(0, labeled, batch - labeled) + high.narrow(0, labeled, batch - labeled)) / 2;
                result = cat([labeledEnsemble, rest], 0);
            }
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Confidences C_b of a labeled patch in network orientation (what Eqs. 4–5 multiply with), from the paper-mode maps.</summary>
    public float[] ReadConfidence(SarPatch patch, Branch branch)
    {
        var maps = Store.GetOrCreate(patch.CaseKey, patch.CaseShape);
        return patch.View.Apply<float>(maps.ReadPatch(branch, patch.Origin, patch.PatchShape), patch.PatchShape);
    }

    private (float[] Low, float[] High) ReadPaper(IReadOnlyList<SarPatch> patches)
    {
        int n = patches[0].NetworkShape.Count;
        var low = new float[patches.Count * n];
        var high = new float[patches.Count * n];
        for (int s = 0; s < patches.Count; s++)
        {
            ReadConfidence(patches[s], Branch.Low).CopyTo(low, s * n);
            ReadConfidence(patches[s], Branch.High).CopyTo(high, s * n);
        }
        return (low, high);
    }

    private void WritePaper(IReadOnlyList<SarPatch> patches, float[] newLow, float[] newHigh)
    {
        int n = patches[0].NetworkShape.Count;
        for (int s = 0; s < patches.Count; s++)
        {
            var p = patches[s];
            var maps = Store.GetOrCreate(p.CaseKey, p.CaseShape);
            var back = p.View.Inverse();
            maps.Blend(Branch.Low, p.Origin, p.PatchShape, back.Apply<float>(newLow.AsSpan(s * n, n), p.NetworkShape));
            maps.Blend(Branch.High, p.Origin, p.PatchShape, back.Apply<float>(newHigh.AsSpan(s * n, n), p.NetworkShape));
        }
    }

    // Official branch index o: 0 = high (out_seg3 comes first), 1 = low.
    private static Branch OfficialBranch(int o) => o == 0 ? Branch.High : Branch.Low;

    private void CheckOfficialPreconditions(IReadOnlyList<SarPatch> patches)
    {
        if (patches.Count != 2)
            throw new InvalidOperationException($"SarMode.OfficialCode reproduces code that only runs with exactly 2 labeled samples per batch (one per branch); this batch has {patches.Count}");
        var shape = patches[0].PatchShape;
        foreach (var p in patches)
            if (p.PatchShape != shape || p.NetworkShape != shape)
                throw new InvalidOperationException($"SarMode.OfficialCode copies confidence patches between samples and views without reshaping, so every crop and its view must have one shape; got {p.PatchShape} viewed as {p.NetworkShape} beside {shape}");
    }

    private (float[] Low, float[] High) ReadOfficial(IReadOnlyList<SarPatch> patches)
    {
        CheckOfficialPreconditions(patches);
        int n = patches[0].NetworkShape.Count;
        var byBranch = new[] { new float[2 * n], new float[2 * n] }; // [o][s·n + i]
        for (int o = 0; o < 2; o++)
            for (int s = 0; s < 2; s++)
            {
                float[] weights;
                if (s == o)
                    weights = ReadConfidence(patches[s], OfficialBranch(o));
                else
                {
                    // The official code reads conf[case o][branch s] at case o's crop and never re-orients it.
                    var p = patches[o];
                    weights = Store.GetOrCreate(p.CaseKey, p.CaseShape).ReadPatch(OfficialBranch(s), p.Origin, p.PatchShape);
                }
                weights.CopyTo(byBranch[o], s * n);
            }
        return (byBranch[1], byBranch[0]);
    }

    private void WriteOfficial(IReadOnlyList<SarPatch> patches, float[] newLow, float[] newHigh)
    {
        int n = patches[0].NetworkShape.Count;
        var byBranch = new[] { newHigh, newLow };
        ReadOnlySpan<float> Conf(int o, int s) => byBranch[o].AsSpan(s * n, n);
        var p0 = patches[0];
        var p1 = patches[1];
        var case0 = Store.GetOrCreate(p0.CaseKey, p0.CaseShape);
        var case1 = Store.GetOrCreate(p1.CaseKey, p1.CaseShape);
        // M[0][0] ← c(0, sample 0), correctly un-viewed.
        case0.Blend(OfficialBranch(0), p0.Origin, p0.PatchShape, p0.View.Inverse().Apply(Conf(0, 0), p0.NetworkShape));
        // M[1][0] ← its own old values: unchanged, but marked visited.
        case1.MarkVisited(OfficialBranch(0), p1.Origin, p1.PatchShape);
        // M[0][1] ← c(0, sample 1) as it lies in sample 1's view, at sample 0's crop.
        case0.Blend(OfficialBranch(1), p0.Origin, p0.PatchShape, Conf(0, 1));
        // M[1][1] ← c(1, sample 1), correctly un-viewed.
        case1.Blend(OfficialBranch(1), p1.Origin, p1.PatchShape, p1.View.Inverse().Apply(Conf(1, 1), p1.NetworkShape));
    }
}
