using System.Reflection;

namespace SasNet.Data.Datasets;

/// <summary>Which part of the training list the validation cases are carved from.</summary>
public enum ValidationSource
{
    /// <summary>From the unlabeled part (default): the labeled budget stays intact.</summary>
    Unlabeled,

    /// <summary>From the labeled part: the validation labels then count against the labeled budget.</summary>
    Labeled,
}

/// <summary>
/// A dataset in its published layout: the case lists (train/test, and an official validation list where one
/// exists) and how an ID maps to its HDF5 file. Create one with the factories in
/// <see cref="DatasetCatalog"/>.
/// </summary>
public sealed class MedicalDataset
{
    private readonly Func<string, CaseFile> resolve;

    /// <summary>Creates a dataset description.</summary>
    /// <param name="name">Display name ("LA", "Pancreas-CT", "BraTS 2019", "Phantom").</param>
    /// <param name="root">Dataset root directory.</param>
    /// <param name="trainIds">Training list in file order.</param>
    /// <param name="testIds">Test list in file order.</param>
    /// <param name="officialValidationIds">Published validation list (BraTS), or empty.</param>
    /// <param name="resolve">Maps an ID to its case file.</param>
    public MedicalDataset(string name, string root, IReadOnlyList<string> trainIds, IReadOnlyList<string> testIds,
        IReadOnlyList<string> officialValidationIds, Func<string, CaseFile> resolve)
    {
        Name = name;
        Root = root;
        TrainIds = trainIds;
        TestIds = testIds;
        OfficialValidationIds = officialValidationIds;
        this.resolve = resolve;
    }

    /// <summary>Display name.</summary>
    public string Name { get; }

    /// <summary>Root directory.</summary>
    public string Root { get; }

    /// <summary>Training IDs in list order; by convention the first N are the labeled ones.</summary>
    public IReadOnlyList<string> TrainIds { get; }

    /// <summary>Test IDs in list order.</summary>
    public IReadOnlyList<string> TestIds { get; }

    /// <summary>The published validation list (BraTS val.txt); empty for LA, Pancreas and phantoms.</summary>
    public IReadOnlyList<string> OfficialValidationIds { get; }

    /// <summary>The file of case <paramref name="id"/>.</summary>
    public CaseFile Resolve(string id) => resolve(id);

    /// <summary>A lazily loaded collection of the given IDs, in the given order.</summary>
    public CaseCollection Cases(IEnumerable<string> ids, string name, bool cacheInMemory = true) =>
        new($"{Name} {name}", ids.Select(resolve).ToArray(), cacheInMemory);

    /// <summary>The test cases.</summary>
    public CaseCollection TestCases(bool cacheInMemory = false) => Cases(TestIds, "test", cacheInMemory);

    /// <summary>
    /// Splits the training list for semi-supervised training (docs/method.md §6): labeled = the first
    /// <paramref name="labeledCount"/> lines (the published convention), unlabeled = the rest, and a
    /// validation set for model selection. The official SASNet/UA-MT code selects checkpoints on the
    /// <b>test</b> list, which leaks test data into model selection; we do not: validation cases are carved
    /// from the training list instead (deterministically: the last <paramref name="validationCount"/> IDs
    /// of the chosen part) and removed from training. When the dataset has an official validation list and
    /// <paramref name="validationCount"/> is null, that list is used instead and nothing is carved.
    /// </summary>
    /// <param name="labeledCount">Number of labeled cases (LA: 8 or 16 in the paper).</param>
    /// <param name="validationCount">Validation cases to carve; null = the official list, else 10 % of the
    /// training list (at least 1); 0 = no validation (use the last checkpoint).</param>
    /// <param name="source">Which part to carve from (default the unlabeled part).</param>
    public SemiSupervisedSplit Split(int labeledCount, int? validationCount = null, ValidationSource source = ValidationSource.Unlabeled)
    {
        if (labeledCount < 1 || labeledCount > TrainIds.Count)
            throw new ArgumentOutOfRangeException(nameof(labeledCount), labeledCount, $"{Name} has {TrainIds.Count} training cases");
        var labeled = TrainIds.Take(labeledCount).ToList();
        var unlabeled = TrainIds.Skip(labeledCount).ToList();
        if (validationCount is null && OfficialValidationIds.Count > 0)
            return new SemiSupervisedSplit(this, labeled, unlabeled, OfficialValidationIds.ToArray(), TestIds);
        int count = validationCount ?? Math.Max(1, TrainIds.Count / 10);
        ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(validationCount));
        var part = source == ValidationSource.Unlabeled ? unlabeled : labeled;
        if (count >= part.Count)
            throw new ArgumentOutOfRangeException(nameof(validationCount), count,
                $"cannot carve {count} validation cases from the {part.Count} {source.ToString().ToLowerInvariant()} training cases of {Name}: at least one must remain");
        var validation = part.GetRange(part.Count - count, count);
        part.RemoveRange(part.Count - count, count);
        return new SemiSupervisedSplit(this, labeled, unlabeled, validation, TestIds);
    }

    /// <summary>Reads a list file: one ID per line, blank lines and surrounding whitespace ignored.</summary>
    public static IReadOnlyList<string> ReadList(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"case list not found: {path}", path);
        return File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
    }

    /// <summary>The LA lists shipped with the kit (data/LA/train.list, test.list), embedded in this assembly.</summary>
    internal static IReadOnlyList<string> EmbeddedLaList(string fileName)
    {
        var assembly = typeof(MedicalDataset).Assembly;
        var resource = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith("LA." + fileName, StringComparison.Ordinal))
            ?? throw new FileNotFoundException($"embedded LA list '{fileName}' is missing from {assembly.GetName().Name}");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        var ids = new List<string>();
        while (reader.ReadLine() is { } line) if (line.Trim().Length > 0) ids.Add(line.Trim());
        return ids;
    }
}

/// <summary>
/// Labeled / unlabeled / validation / test IDs of one experiment. <see cref="TrainingCases"/> puts the labeled
/// cases first, so <see cref="LabeledIndices"/> are 0..L−1 and <see cref="UnlabeledIndices"/> L..N−1 — the
/// index sets the two-stream sampler takes.
/// </summary>
/// <param name="Dataset">The dataset the IDs belong to.</param>
/// <param name="Labeled">Labeled training IDs.</param>
/// <param name="Unlabeled">Unlabeled training IDs.</param>
/// <param name="Validation">Validation IDs (never trained on).</param>
/// <param name="Test">Test IDs (never used for model selection).</param>
public sealed record SemiSupervisedSplit(MedicalDataset Dataset, IReadOnlyList<string> Labeled, IReadOnlyList<string> Unlabeled,
    IReadOnlyList<string> Validation, IReadOnlyList<string> Test)
{
    /// <summary>Indices of labeled cases in <see cref="TrainingCases"/>.</summary>
    public IReadOnlyList<int> LabeledIndices => Enumerable.Range(0, Labeled.Count).ToArray();

    /// <summary>Indices of unlabeled cases in <see cref="TrainingCases"/>.</summary>
    public IReadOnlyList<int> UnlabeledIndices => Enumerable.Range(Labeled.Count, Unlabeled.Count).ToArray();

    /// <summary>Labeled then unlabeled training cases.</summary>
    public CaseCollection TrainingCases(bool cacheInMemory = true) => Dataset.Cases(Labeled.Concat(Unlabeled), "train", cacheInMemory);

    /// <summary>Validation cases.</summary>
    public CaseCollection ValidationCases(bool cacheInMemory = true) => Dataset.Cases(Validation, "validation", cacheInMemory);

    /// <summary>Test cases.</summary>
    public CaseCollection TestCases(bool cacheInMemory = false) => Dataset.Cases(Test, "test", cacheInMemory);
}
