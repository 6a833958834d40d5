using System.Text.Json;
using SasNet.Data.IO;

namespace SasNet.Data.Phantoms;

/// <summary>What <see cref="PhantomDataset.Generate"/> produced (or found already in place).</summary>
/// <param name="Root">Dataset root: holds &lt;ID&gt;/mri_norm2.h5, train.list and test.list.</param>
/// <param name="TrainIds">IDs in train.list order (the first ones are the labeled ones by convention).</param>
/// <param name="TestIds">IDs in test.list order.</param>
/// <param name="Reused">True when a matching manifest was found and nothing was written.</param>
public sealed record PhantomDatasetInfo(string Root, IReadOnlyList<string> TrainIds, IReadOnlyList<string> TestIds, bool Reused);

/// <summary>
/// Writes the built-in phantom dataset (docs/method.md §9) in the LA layout, so training and evaluation run the
/// same code path as on the real data: <c>&lt;root&gt;/&lt;ID&gt;/mri_norm2.h5</c> (datasets "image" float32 and
/// "label" uint8, (X, Y, Z), gzip-chunked at level 1) plus <c>&lt;root&gt;/train.list</c> and <c>&lt;root&gt;/test.list</c>.
/// Read it back with <c>DatasetCatalog.Phantoms(root)</c>, which is the LA reader with the root overridden.
/// </summary>
public static class PhantomDataset
{
    /// <summary>Name of the manifest written last; its presence with equal parameters makes generation a no-op.</summary>
    public const string ManifestFileName = "phantoms.json";

    /// <summary>File name of each case, as in the LA layout.</summary>
    public const string CaseFileName = "mri_norm2.h5";

    private const int GeneratorVersion = 1;

    /// <summary>
    /// Gzip level 1, chunked: the same read path as the level-4 LA files, but deflating noisy floats at level 4
    /// made writing (serialised in the HDF5 library) the bottleneck of generation.
    /// </summary>
    private static readonly Hdf5StorageOptions Storage = new(GzipLevel: 1);

    /// <summary>
    /// Generates <paramref name="trainCount"/> + <paramref name="testCount"/> cases under <paramref name="root"/>
    /// (cases 0..train−1 go to train.list, the rest to test.list). Idempotent: when the manifest records the
    /// same parameters and every case file exists, nothing is written. Same seed → byte-identical files.
    /// Cases are generated in parallel; each case's content depends only on (scale, seed, case index). Safe to call from
    /// several processes at once: one generates under a lock (<c>root.lock</c>) while the others wait, and the set appears
    /// under <paramref name="root"/> whole, in one rename.
    /// </summary>
    public static PhantomDatasetInfo Generate(string root, PhantomScale scale, int trainCount, int testCount, int seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(trainCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(testCount);
        root = Path.GetFullPath(root);
        var trainIds = Enumerable.Range(0, trainCount).Select(PhantomGenerator.CaseId).ToArray();
        var testIds = Enumerable.Range(trainCount, testCount).Select(PhantomGenerator.CaseId).ToArray();
        var manifest = new Manifest(GeneratorVersion, scale.ToString(), trainCount, testCount, seed);
        var manifestPath = Path.Combine(root, ManifestFileName);
        if (IsCurrent(manifestPath, manifest, root, trainIds.Concat(testIds)))
            return new PhantomDatasetInfo(root, trainIds, testIds, Reused: true);

        // The tasks of a sweep start at once on a fresh cache: one generates, the others wait for it and reuse its set.
        using var generating = FileLock.Acquire(root + ".lock");
        if (IsCurrent(manifestPath, manifest, root, trainIds.Concat(testIds)))
            return new PhantomDatasetInfo(root, trainIds, testIds, Reused: true);
        // Generated in a folder of its own and renamed into place whole, so that a generator killed half-way leaves no
        // set that looks complete.
        var staging = $"{root}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            int total = trainCount + testCount;
            // Cases in parallel, voxel rows inside each case in parallel too; HDF5 writes are serialised inside Hdf5File.
            Parallel.For(0, total, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, index =>
            {
                var phantom = PhantomGenerator.Generate(scale, seed, index);
                Hdf5Case.Write(Path.Combine(staging, phantom.Id, CaseFileName), phantom.Image, phantom.Label, Storage);
            });
            File.WriteAllLines(Path.Combine(staging, "train.list"), trainIds);
            File.WriteAllLines(Path.Combine(staging, "test.list"), testIds);
            File.WriteAllText(Path.Combine(staging, ManifestFileName), JsonSerializer.Serialize(manifest));
            // A stale or half-written set (an older generator's, an older kit's interrupted one) is replaced.
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
            Directory.Move(staging, root);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        return new PhantomDatasetInfo(root, trainIds, testIds, Reused: false);
    }

    private static bool IsCurrent(string manifestPath, Manifest wanted, string root, IEnumerable<string> ids)
    {
        if (!File.Exists(manifestPath)) return false;
        try
        {
            var found = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath));
            return found == wanted && ids.All(id => File.Exists(Path.Combine(root, id, CaseFileName)))
                && File.Exists(Path.Combine(root, "train.list")) && File.Exists(Path.Combine(root, "test.list"));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private sealed record Manifest(int Version, string Scale, int Train, int Test, int Seed);
}
