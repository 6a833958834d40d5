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
}
