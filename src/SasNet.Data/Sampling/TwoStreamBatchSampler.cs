namespace SasNet.Data.Sampling;

/// <summary>The case indices of one batch, labeled first.</summary>
/// <param name="BatchIndex">Position in the stream, from 0.</param>
/// <param name="Epoch">Labeled-stream epoch (one pass over the labeled indices).</param>
/// <param name="CaseIndices">Case indices: <see cref="LabeledCount"/> labeled ones, then unlabeled ones.</param>
/// <param name="LabeledCount">Number of labeled entries at the front.</param>
public sealed record BatchPlan(long BatchIndex, int Epoch, IReadOnlyList<int> CaseIndices, int LabeledCount);

/// <summary>
/// The two-stream batch sampler of the official code (docs/method.md §6): each epoch shuffles the labeled
/// ("primary") indices once and walks them in groups of <see cref="LabeledBatchSize"/> (a short remainder is
/// dropped, as <c>zip</c> drops it); the unlabeled ("secondary") indices are cycled forever, reshuffled at
/// every pass, and fill the rest of each batch. Unlike the official sampler, this one runs on across
/// epochs (the unlabeled cycle continues where it stopped instead of restarting each epoch).
/// Shuffles use <see cref="Random"/> seeded with the given seed (Fisher–Yates), so the stream is
/// reproducible, but it is not bit-identical to numpy's <c>permutation</c>.
/// </summary>
public sealed class TwoStreamBatchSampler
{
    /// <summary>Creates the sampler.</summary>
    /// <param name="labeledIndices">Primary indices (labeled cases).</param>
    /// <param name="unlabeledIndices">Secondary indices (unlabeled cases).</param>
    /// <param name="batchSize">Total batch size (4 in the paper).</param>
    /// <param name="labeledBatchSize">Labeled samples per batch (2 in the paper).</param>
    /// <param name="seed">Shuffle seed.</param>
    public TwoStreamBatchSampler(IReadOnlyList<int> labeledIndices, IReadOnlyList<int> unlabeledIndices, int batchSize, int labeledBatchSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(labeledIndices);
        ArgumentNullException.ThrowIfNull(unlabeledIndices);
        int unlabeledBatchSize = batchSize - labeledBatchSize;
        if (labeledBatchSize < 1 || labeledIndices.Count < labeledBatchSize)
            throw new ArgumentException($"need 1 ≤ labeled batch size ({labeledBatchSize}) ≤ labeled cases ({labeledIndices.Count})");
        if (unlabeledBatchSize < 1 || unlabeledIndices.Count < unlabeledBatchSize)
            throw new ArgumentException($"need 1 ≤ unlabeled batch size ({unlabeledBatchSize}) ≤ unlabeled cases ({unlabeledIndices.Count})");
        LabeledIndices = labeledIndices.ToArray();
        UnlabeledIndices = unlabeledIndices.ToArray();
        BatchSize = batchSize;
        LabeledBatchSize = labeledBatchSize;
        Seed = seed;
    }

    /// <summary>Labeled indices.</summary>
    public IReadOnlyList<int> LabeledIndices { get; }

    /// <summary>Unlabeled indices.</summary>
    public IReadOnlyList<int> UnlabeledIndices { get; }

    /// <summary>Batch size.</summary>
    public int BatchSize { get; }

    /// <summary>Labeled samples per batch.</summary>
    public int LabeledBatchSize { get; }

    /// <summary>Shuffle seed.</summary>
    public int Seed { get; }

    /// <summary>Batches per epoch: ⌊labeled / labeled batch size⌋ (the official <c>__len__</c>).</summary>
    public int BatchesPerEpoch => LabeledIndices.Count / LabeledBatchSize;

    /// <summary>The endless, reproducible stream of batches (take as many as there are iterations).</summary>
    public IEnumerable<BatchPlan> Batches()
    {
        var labeledRandom = new Random(Seed);
        var unlabeledRandom = new Random(unchecked(Seed * 31 + 17));
        var unlabeled = UnlabeledIndices.ToArray();
        int unlabeledPosition = unlabeled.Length; // forces a shuffle before first use
        long batchIndex = 0;
        for (int epoch = 0; ; epoch++)
        {
            var labeled = LabeledIndices.ToArray();
            labeledRandom.Shuffle(labeled);
            for (int b = 0; b < BatchesPerEpoch; b++)
            {
                var indices = new int[BatchSize];
                Array.Copy(labeled, b * LabeledBatchSize, indices, 0, LabeledBatchSize);
                for (int i = LabeledBatchSize; i < BatchSize; i++)
                {
                    if (unlabeledPosition == unlabeled.Length)
                    {
                        unlabeledRandom.Shuffle(unlabeled);
                        unlabeledPosition = 0;
                    }
                    indices[i] = unlabeled[unlabeledPosition++];
                }
                yield return new BatchPlan(batchIndex++, epoch, indices, LabeledBatchSize);
            }
        }
    }
}
