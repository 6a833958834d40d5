using System.Collections.Concurrent;
using SasNet.Data.IO;

namespace SasNet.Data.Datasets;

/// <summary>
/// An ordered list of cases loaded lazily from their HDF5 files, with an optional in-memory cache.
/// Loading validates each case (equal image/label shapes, finite image) and raises the specific
/// <see cref="VolumeFormatException"/> subtypes otherwise. Thread-safe: the prefetching loader calls
/// <see cref="Load"/> from worker tasks; with caching on, each file is read at most once.
/// </summary>
public sealed class CaseCollection
{
    private readonly ConcurrentDictionary<int, Lazy<SegmentationCase>>? cache;

    /// <summary>Creates a collection over <paramref name="cases"/>.</summary>
    /// <param name="name">Display name, e.g. "LA train".</param>
    /// <param name="cases">Case files, in index order.</param>
    /// <param name="cacheInMemory">Keep loaded cases in memory (the caller owns the returned volumes either way; do not mutate cached ones).</param>
    public CaseCollection(string name, IReadOnlyList<CaseFile> cases, bool cacheInMemory = true)
    {
        ArgumentNullException.ThrowIfNull(cases);
        Name = name;
        Cases = cases;
        if (cacheInMemory) cache = new ConcurrentDictionary<int, Lazy<SegmentationCase>>();
    }

    /// <summary>Display name.</summary>
    public string Name { get; }

    /// <summary>Case files in index order.</summary>
    public IReadOnlyList<CaseFile> Cases { get; }

    /// <summary>Number of cases.</summary>
    public int Count => Cases.Count;

    /// <summary>Whether loaded cases are kept in memory.</summary>
    public bool IsCached => cache is not null;

    /// <summary>Case identifiers in index order.</summary>
    public IReadOnlyList<string> Ids => Cases.Select(c => c.Id).ToArray();

    /// <summary>
    /// Loads case <paramref name="index"/> (from the cache when enabled). Cached volumes are shared:
    /// transforms must copy, never modify them in place.
    /// </summary>
    public SegmentationCase Load(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"{Name} has {Count} cases");
        if (cache is null) return Read(index);
        var lazy = cache.GetOrAdd(index, i => new Lazy<SegmentationCase>(() => Read(i), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            cache.TryRemove(index, out _); // a failed read must be retried, not remembered
            throw;
        }
    }

    /// <summary>Index of the case with identifier <paramref name="id"/>, or −1.</summary>
    public int IndexOf(string id)
    {
        for (int i = 0; i < Cases.Count; i++) if (Cases[i].Id == id) return i;
        return -1;
    }

    /// <summary>Drops all cached cases.</summary>
    public void ClearCache() => cache?.Clear();

    private SegmentationCase Read(int index)
    {
        var file = Cases[index];
        if (!File.Exists(file.Path)) throw new FileNotFoundException($"case '{file.Id}' of {Name}: file not found: {file.Path}", file.Path);
        var (image, label) = Hdf5Case.Read(file.Path, file.ImageDataset, file.LabelDataset);
        return new SegmentationCase(index, file.Id, image, label);
    }
}
