using SasNet.Data.Sampling;
using SasNet.Data.Transforms;
using SasNet.Geometry;
using SasNet.Models;

namespace SasNet.Method;

/// <summary>
/// Where a labeled training patch came from: the case, its full size, the crop origin in case coordinates (negative
/// where the crop reaches into zero padding), the crop size in case orientation, and the view re-orientation the
/// data layer applied after cropping (<see cref="AxisTransform"/>; the network sees <c>View.Apply(crop)</c>).
/// </summary>
/// <param name="CaseKey">Stable identifier of the case (its ID).</param>
/// <param name="CaseShape">Full size of the case.</param>
/// <param name="Origin">Crop origin: patch voxel p is case voxel p + Origin.</param>
/// <param name="PatchShape">Crop size in case orientation.</param>
/// <param name="View">Re-orientation applied to the crop (identity when none).</param>
public sealed record SarPatch(string CaseKey, Shape3 CaseShape, (int X, int Y, int Z) Origin, Shape3 PatchShape, AxisTransform View)
{
    /// <summary>Spatial size of the tensor the network sees: <c>View.OutputShape(PatchShape)</c>.</summary>
    public Shape3 NetworkShape => View.OutputShape(PatchShape);

    /// <summary>
    /// The patch of a training sample from the data layer: its RotFlip followed by its view permutation become one
    /// <see cref="View"/>. Views with a Fourier rotation (<see cref="ViewRecord.RotationDegrees"/> ≠ 0) are not exact
    /// voxel re-orientations, so confidences cannot be carried through them: such samples are rejected.
    /// </summary>
    public static SarPatch FromSample(SampleInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.View.RotationDegrees % 360 != 0)
            throw new NotSupportedException(
                $"SAR maps confidences through exact axis re-orientations only; sample of case '{info.CaseId}' has a {info.View.RotationDegrees}° Fourier rotation (use a permutation view with SAR, or SarMode.None)");
        return new SarPatch(info.CaseId, info.CaseShape, info.CropOrigin, info.CropShape, info.RotFlip.Then(info.View.Permutation));
    }
}

/// <summary>Full-volume confidence maps of one case: per branch a map initialised to 0.5 and a "visited" mask (paper Eqs. 4–8; docs/method.md §3).</summary>
public sealed class CaseConfidence
{
    /// <summary>The value of never-visited voxels (the official code's initialisation; docs/method.md §3).</summary>
    public const float InitialConfidence = 0.5f;

    private readonly float[][] maps;
    private readonly bool[][] visited;

    /// <summary>Fresh maps for a case of <paramref name="shape"/>.</summary>
    public CaseConfidence(Shape3 shape)
    {
        Shape = shape;
        maps = new float[2][];
        visited = new bool[2][];
        for (int b = 0; b < 2; b++)
        {
            maps[b] = new float[shape.Count];
            Array.Fill(maps[b], InitialConfidence);
            visited[b] = new bool[shape.Count];
        }
    }

    /// <summary>Case size (X, Y, Z).</summary>
    public Shape3 Shape { get; }

    /// <summary>Confidence map of a branch, C order over the case (live array).</summary>
    public float[] Map(Branch branch) => maps[(int)branch];

    /// <summary>Visited mask of a branch (live array).</summary>
    public bool[] Visited(Branch branch) => visited[(int)branch];

    /// <summary>
    /// The patch at <paramref name="origin"/> of size <paramref name="patch"/> in case orientation; voxels outside the
    /// case (padding) read <see cref="InitialConfidence"/>, the neutral never-visited value.
    /// </summary>
    public float[] ReadPatch(Branch branch, (int X, int Y, int Z) origin, Shape3 patch)
    {
        var map = maps[(int)branch];
        var result = new float[patch.Count];
        int i = 0;
        for (int x = 0; x < patch.X; x++)
            for (int y = 0; y < patch.Y; y++)
                for (int z = 0; z < patch.Z; z++, i++)
                {
                    int cx = x + origin.X, cy = y + origin.Y, cz = z + origin.Z;
                    result[i] = Shape.Contains(cx, cy, cz) ? map[Shape.Index(cx, cy, cz)] : InitialConfidence;
                }
        return result;
    }

    /// <summary>
    /// Folds new confidences (case orientation, size <paramref name="patch"/>) into the map: visited voxels become the
    /// average of old and new ("the previous two epochs", paper Eqs. 4–5), unvisited voxels take the new value; all are
    /// marked visited. Voxels outside the case (padding) are ignored.
    /// </summary>
    public void Blend(Branch branch, (int X, int Y, int Z) origin, Shape3 patch, ReadOnlySpan<float> confidence)
    {
        if (confidence.Length != patch.Count) throw new ArgumentException($"{confidence.Length} confidences do not fill a {patch} patch", nameof(confidence));
        var map = maps[(int)branch];
        var seen = visited[(int)branch];
        int i = 0;
        for (int x = 0; x < patch.X; x++)
            for (int y = 0; y < patch.Y; y++)
                for (int z = 0; z < patch.Z; z++, i++)
                {
                    int cx = x + origin.X, cy = y + origin.Y, cz = z + origin.Z;
                    if (!Shape.Contains(cx, cy, cz)) continue;
                    int j = Shape.Index(cx, cy, cz);
                    map[j] = seen[j] ? (map[j] + confidence[i]) / 2 : confidence[i];
                    seen[j] = true;
                }
    }

    /// <summary>Marks the patch visited without changing values (what the official code does to one map each step).</summary>
    public void MarkVisited(Branch branch, (int X, int Y, int Z) origin, Shape3 patch) =>
        Blend(branch, origin, patch, ReadPatch(branch, origin, patch));
}

/// <summary>
/// The SAR memory: confidence maps of every labeled case seen so far, keyed by case. Can be saved with a training
/// checkpoint and loaded to resume.
/// </summary>
public sealed class ConfidenceStore
{
    private readonly Dictionary<string, CaseConfidence> cases = new(StringComparer.Ordinal);

    /// <summary>Cases with maps.</summary>
    public IReadOnlyCollection<string> CaseKeys => cases.Keys;

    /// <summary>The maps of a case, created (0.5, unvisited) on first use; the shape must not change between calls.</summary>
    public CaseConfidence GetOrCreate(string caseKey, Shape3 shape)
    {
        if (cases.TryGetValue(caseKey, out var existing))
        {
            if (existing.Shape != shape)
                throw new ArgumentException($"case '{caseKey}' has confidence maps of size {existing.Shape}, but a patch now says the case is {shape}");
            return existing;
        }
        var created = new CaseConfidence(shape);
        cases[caseKey] = created;
        return created;
    }

    /// <summary>The maps of a case, if any.</summary>
    public CaseConfidence? Find(string caseKey) => cases.GetValueOrDefault(caseKey);

    /// <summary>Forgets every map.</summary>
    public void Clear() => cases.Clear();

    /// <summary>Writes all maps (binary, little-endian).</summary>
    public void Save(Stream stream)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write("SASNET-SAR-1");
        w.Write(cases.Count);
        foreach (var (key, c) in cases.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.Write(key);
            w.Write(c.Shape.X); w.Write(c.Shape.Y); w.Write(c.Shape.Z);
            foreach (var branch in new[] { Branch.Low, Branch.High })
            {
                foreach (var v in c.Map(branch)) w.Write(v);
                foreach (var v in c.Visited(branch)) w.Write(v);
            }
        }
    }

    /// <summary>Replaces the maps with those written by <see cref="Save"/>.</summary>
    public void Load(Stream stream)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        var magic = r.ReadString();
        if (magic != "SASNET-SAR-1") throw new InvalidDataException($"not a SAR confidence file (header '{magic}')");
        cases.Clear();
        int count = r.ReadInt32();
        for (int n = 0; n < count; n++)
        {
            var key = r.ReadString();
            var c = new CaseConfidence(new Shape3(r.ReadInt32(), r.ReadInt32(), r.ReadInt32()));
            foreach (var branch in new[] { Branch.Low, Branch.High })
            {
                var map = c.Map(branch);
                for (int i = 0; i < map.Length; i++) map[i] = r.ReadSingle();
                var seen = c.Visited(branch);
                for (int i = 0; i < seen.Length; i++) seen[i] = r.ReadBoolean();
            }
            cases[key] = c;
        }
    }
}
