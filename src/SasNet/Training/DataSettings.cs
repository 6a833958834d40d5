using SasNet.Geometry;

namespace SasNet.Training;

/// <summary>
/// What an experiment trains and tests on, and how batches are cut from it: the dataset, the semi-supervised split
/// (docs/method.md §6), the random crop, the batch composition and the view-variance enhancement (paper §3.3, Table 5).
/// </summary>
public sealed record DataSettings
{
    /// <summary>The dataset.</summary>
    public DatasetKind Dataset { get; init; } = DatasetKind.Phantoms;
    /// <summary>Root folder of a real dataset; ignored for phantoms (they live in the cache).</summary>
    public string? DataRoot { get; init; }
    /// <summary>Number of phantom training cases (the first <see cref="LabeledCount"/> are labeled).</summary>
    public int PhantomTrainCases { get; init; } = 20;
    /// <summary>Number of phantom test cases.</summary>
    public int PhantomTestCases { get; init; } = 8;
    /// <summary>Labeled training cases (the first ones of the training list, as the official code).</summary>
    public int LabeledCount { get; init; } = 4;
    /// <summary>Validation cases carved from the unlabeled part of the training list (for model selection).</summary>
    public int ValidationCount { get; init; } = 2;
    /// <summary>Random crop size (X, Y, Z), each a multiple of 16.</summary>
    public Shape3 PatchSize { get; init; } = new(48, 48, 32);
    /// <summary>Samples per batch (labeled first).</summary>
    public int BatchSize { get; init; } = 4;
    /// <summary>Labeled samples per batch.</summary>
    public int LabeledBatchSize { get; init; } = 2;
    /// <summary>View-variance enhancement (Table 5).</summary>
    public ViewVarianceKind ViewVariance { get; init; } = ViewVarianceKind.Permute;
    /// <summary>Spectrum rotation angle for <see cref="ViewVarianceKind.FourierRotate"/>, degrees.</summary>
    public double RotationDegrees { get; init; } = 15;

    /// <summary>Adds what is wrong with these settings on their own to <paramref name="problems"/>.</summary>
    public void AddProblems(List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (LabeledCount < 1) problems.Add($"LabeledCount must be at least 1, got {LabeledCount}");
        if (ValidationCount < 0) problems.Add($"ValidationCount must not be negative, got {ValidationCount}");
        if (BatchSize < 1 || LabeledBatchSize < 1 || LabeledBatchSize > BatchSize)
            problems.Add($"need 1 ≤ LabeledBatchSize ≤ BatchSize, got {LabeledBatchSize} and {BatchSize}");
        if (LabeledCount < LabeledBatchSize) problems.Add($"LabeledCount {LabeledCount} is smaller than LabeledBatchSize {LabeledBatchSize}");
        if (Dataset == DatasetKind.Phantoms && LabeledCount > PhantomTrainCases)
            problems.Add($"LabeledCount {LabeledCount} exceeds the {PhantomTrainCases} phantom training cases");
        if (Dataset == DatasetKind.Phantoms && PhantomTestCases < 1) problems.Add("PhantomTestCases must be at least 1");
        if (Dataset != DatasetKind.Phantoms && string.IsNullOrWhiteSpace(DataRoot)) problems.Add($"the {Dataset} dataset needs DataRoot (the folder that holds it)");
        if (!Enum.IsDefined(ViewVariance)) problems.Add($"unknown ViewVariance {ViewVariance}");
    }
}
