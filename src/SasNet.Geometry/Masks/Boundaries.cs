namespace SasNet.Geometry;

/// <summary>
/// Boundary voxels of binary masks under the two conventions the method and its evaluation use.
/// Masks are flat arrays in C order over (X, Y, Z), Z fastest; any nonzero byte is foreground.
/// Results are 0/1 masks of the same layout.
/// </summary>
public static class Boundaries
{
    /// <summary>
    /// Inner boundary as in skimage <c>find_boundaries(mode='inner')</c> with connectivity 1:
    /// foreground voxels with at least one background voxel among their 6 face neighbours.
    /// Neighbours outside the array do not count, so a foreground voxel on the array edge is a
    /// boundary voxel only if it also touches background inside. Used to zero the SDM (paper Fig. 5; docs/method.md §5.4).
    /// </summary>
    public static byte[] Inner(ReadOnlySpan<byte> mask, Shape3 shape)
    {
        var result = new byte[CheckedCount(mask.Length, shape, nameof(mask))];
        Mark(mask, shape, outsideIsBackground: false, result);
        return result;
    }

    /// <summary>Inner boundary of a mask volume; see <see cref="Inner(ReadOnlySpan{byte}, Shape3)"/>.</summary>
    public static Volume<byte> Inner(Volume<byte> mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return new Volume<byte>(mask.Shape, Inner(mask.Data, mask.Shape), mask.Spacing);
    }

    /// <summary>
    /// Surface voxels as medpy computes them for HD95/ASD (docs/method.md §8): mask XOR its binary erosion by
    /// the 6-neighbour cross, where the erosion treats everything outside the array as background.
    /// Equivalently: foreground voxels with a background face neighbour or lying on the array edge.
    /// </summary>
    public static byte[] Surface(ReadOnlySpan<byte> mask, Shape3 shape)
    {
        var result = new byte[CheckedCount(mask.Length, shape, nameof(mask))];
        Mark(mask, shape, outsideIsBackground: true, result);
        return result;
    }

    /// <summary>Surface of a mask volume; see <see cref="Surface(ReadOnlySpan{byte}, Shape3)"/>.</summary>
    public static Volume<byte> Surface(Volume<byte> mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return new Volume<byte>(mask.Shape, Surface(mask.Data, mask.Shape), mask.Spacing);
    }

    /// <summary>Writes 1 into <paramref name="result"/> at each boundary voxel (and 0 elsewhere); returns how many there are.</summary>
    internal static int Mark(ReadOnlySpan<byte> mask, Shape3 shape, bool outsideIsBackground, Span<byte> result)
    {
        int sizeX = shape.X, sizeY = shape.Y, sizeZ = shape.Z;
        int strideX = sizeY * sizeZ, strideY = sizeZ;
        int count = 0;
        for (int x = 0; x < sizeX; x++)
        {
            for (int y = 0; y < sizeY; y++)
            {
                int rowStart = x * strideX + y * strideY;
                for (int z = 0; z < sizeZ; z++)
                {
                    int i = rowStart + z;
                    if (mask[i] == 0) { result[i] = 0; continue; }
                    bool boundary = HasBackgroundNeighbour(mask, shape, x, y, z, i, outsideIsBackground);
                    result[i] = boundary ? (byte)1 : (byte)0;
                    if (boundary) count++;
                }
            }
        }
        return count;
    }

    /// <summary>
    /// Whether voxel (x, y, z) at linear index <paramref name="i"/> has a background face neighbour;
    /// neighbours outside the array count as background only when <paramref name="outsideIsBackground"/>.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static bool HasBackgroundNeighbour(ReadOnlySpan<byte> mask, Shape3 shape, int x, int y, int z, int i, bool outsideIsBackground)
    {
        int strideX = shape.Y * shape.Z, strideY = shape.Z;
        return (x > 0 ? mask[i - strideX] == 0 : outsideIsBackground) ||
               (x < shape.X - 1 ? mask[i + strideX] == 0 : outsideIsBackground) ||
               (y > 0 ? mask[i - strideY] == 0 : outsideIsBackground) ||
               (y < shape.Y - 1 ? mask[i + strideY] == 0 : outsideIsBackground) ||
               (z > 0 ? mask[i - 1] == 0 : outsideIsBackground) ||
               (z < shape.Z - 1 ? mask[i + 1] == 0 : outsideIsBackground);
    }

    private static int CheckedCount(int length, Shape3 shape, string paramName)
    {
        Guard.Shape(shape, nameof(shape));
        Guard.Length(length, shape.Count, $"a mask of shape {shape}", paramName);
        return shape.Count;
    }
}
