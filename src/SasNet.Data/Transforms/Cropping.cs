using SasNet.Geometry;

namespace SasNet.Data.Transforms;

/// <summary>
/// Patch extraction with zero padding, placed like the official UA-MT/SASNet RandomCrop and CenterCrop.
/// The crop is described by its origin in case coordinates: patch voxel p is case voxel p + origin; the
/// origin is negative along an axis where the case was padded. Voxels outside the case read 0 (image and label).
/// </summary>
public static class Cropping
{
    /// <summary>
    /// Padding per side the official code adds before cropping: when <b>any</b> case size is ≤ the patch size,
    /// every axis d is padded symmetrically by max(⌊(patch_d − size_d)/2⌋ + 3, 0) (Python floor division).
    /// Zero otherwise.
    /// </summary>
    public static (int X, int Y, int Z) OfficialPadding(Shape3 caseShape, Shape3 patch)
    {
        bool pad = caseShape.X <= patch.X || caseShape.Y <= patch.Y || caseShape.Z <= patch.Z;
        if (!pad) return (0, 0, 0);
        static int Side(int patchSize, int size) => Math.Max((int)Math.Floor((patchSize - size) / 2.0) + 3, 0);
        return (Side(patch.X, caseShape.X), Side(patch.Y, caseShape.Y), Side(patch.Z, caseShape.Z));
    }

    /// <summary>
    /// Random crop origin as in the official RandomCrop: pad (see <see cref="OfficialPadding"/>), then draw the
    /// start uniformly in [0, paddedSize − patch) — numpy's <c>randint</c> excludes the upper bound, so the
    /// last possible position is never drawn; we keep that. Returns the origin in case coordinates
    /// (start − padding). Draw order: X, then Y, then Z, each with <see cref="Random.Next(int, int)"/>.
    /// </summary>
    public static (int X, int Y, int Z) RandomOrigin(Shape3 caseShape, Shape3 patch, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var pad = OfficialPadding(caseShape, patch);
        int Draw(int size, int padding, int patchSize)
        {
            int range = size + 2 * padding - patchSize;
            return (range > 0 ? random.Next(0, range) : 0) - padding;
        }
        int x = Draw(caseShape.X, pad.X, patch.X);
        int y = Draw(caseShape.Y, pad.Y, patch.Y);
        int z = Draw(caseShape.Z, pad.Z, patch.Z);
        return (x, y, z);
    }

    /// <summary>Centre crop origin as in the official CenterCrop: same padding, start = round((paddedSize − patch)/2) (half to even, like Python's round).</summary>
    public static (int X, int Y, int Z) CenterOrigin(Shape3 caseShape, Shape3 patch)
    {
        var pad = OfficialPadding(caseShape, patch);
        static int Start(int size, int padding, int patchSize) => (int)Math.Round((size + 2 * padding - patchSize) / 2.0, MidpointRounding.ToEven) - padding;
        return (Start(caseShape.X, pad.X, patch.X), Start(caseShape.Y, pad.Y, patch.Y), Start(caseShape.Z, pad.Z, patch.Z));
    }

    /// <summary>
    /// Copies the patch of shape <paramref name="patch"/> at <paramref name="origin"/> out of
    /// <paramref name="source"/> (shape <paramref name="sourceShape"/>); voxels outside the source are zero.
    /// </summary>
    public static T[] Extract<T>(ReadOnlySpan<T> source, Shape3 sourceShape, (int X, int Y, int Z) origin, Shape3 patch) where T : unmanaged
    {
        if (source.Length != sourceShape.Count) throw new ArgumentException($"array of {source.Length} values is not {sourceShape}", nameof(source));
        var result = new T[patch.Count];
        int z0 = Math.Max(0, -origin.Z), z1 = Math.Min(patch.Z, sourceShape.Z - origin.Z);
        if (z1 <= z0) return result;
        for (int x = 0; x < patch.X; x++)
        {
            int sx = x + origin.X;
            if ((uint)sx >= (uint)sourceShape.X) continue;
            for (int y = 0; y < patch.Y; y++)
            {
                int sy = y + origin.Y;
                if ((uint)sy >= (uint)sourceShape.Y) continue;
                source.Slice(sourceShape.Index(sx, sy, z0 + origin.Z), z1 - z0).CopyTo(result.AsSpan(patch.Index(x, y, z0), z1 - z0));
            }
        }
        return result;
    }
}
