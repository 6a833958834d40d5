namespace SasNet.Geometry;

/// <summary>
/// An axis-aligned block of voxels: origin (X0, Y0, Z0), inclusive, and size, inside some larger grid; its exclusive
/// end is (X1, Y1, Z1). The kit's one box type, for bounding boxes, preprocessing crops and patches.
/// </summary>
public readonly record struct Box3(int X0, int Y0, int Z0, Shape3 Size)
{
    /// <summary>One past the last voxel along X.</summary>
    public int X1 => X0 + Size.X;
    /// <summary>One past the last voxel along Y.</summary>
    public int Y1 => Y0 + Size.Y;
    /// <summary>One past the last voxel along Z.</summary>
    public int Z1 => Z0 + Size.Z;

    /// <summary>The box from (x0, y0, z0) inclusive to (x1, y1, z1) exclusive.</summary>
    public static Box3 FromBounds(int x0, int y0, int z0, int x1, int y1, int z1)
    {
        if (x1 <= x0 || y1 <= y0 || z1 <= z0) throw new ArgumentException($"empty box ({x0}, {y0}, {z0}) – ({x1}, {y1}, {z1})");
        return new Box3(x0, y0, z0, new Shape3(x1 - x0, y1 - y0, z1 - z0));
    }

    /// <summary>Smallest box holding every nonzero voxel of <paramref name="mask"/>; null when there is none.</summary>
    public static Box3? Bounding(ReadOnlySpan<byte> mask, Shape3 shape)
    {
        int x0 = int.MaxValue, y0 = int.MaxValue, z0 = int.MaxValue, x1 = -1, y1 = -1, z1 = -1;
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
            {
                var row = mask.Slice(shape.Index(x, y, 0), shape.Z);
                int first = row.IndexOfAnyExcept((byte)0);
                if (first < 0) continue;
                int last = row.LastIndexOfAnyExcept((byte)0);
                x0 = Math.Min(x0, x); x1 = x;
                y0 = Math.Min(y0, y); y1 = Math.Max(y1, y);
                z0 = Math.Min(z0, first); z1 = Math.Max(z1, last);
            }
        return x1 < 0 ? null : new Box3(x0, y0, z0, new Shape3(x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1));
    }

    /// <summary>Smallest box holding every voxel of <paramref name="volume"/> where <paramref name="inside"/> holds; null when none does.</summary>
    public static Box3? Bounding<T>(Volume<T> volume, Func<T, bool> inside) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(inside);
        var selected = new byte[volume.Data.Length];
        for (int i = 0; i < selected.Length; i++) selected[i] = inside(volume.Data[i]) ? (byte)1 : (byte)0;
        return Bounding(selected, volume.Shape);
    }

    /// <summary>
    /// A box of <paramref name="size"/> centred on the centre of mass of the nonzero voxels of <paramref name="mask"/> (on the
    /// grid's centre when there are none), moved inside the grid where it fits; where the grid is smaller than the box
    /// it starts at 0 and <see cref="Volume{T}.Crop"/> fills the rest with zeros.
    /// </summary>
    public static Box3 AroundCentreOfMass(Volume<byte> mask, Shape3 size)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var shape = mask.Shape;
        double cx = 0, cy = 0, cz = 0;
        long count = 0;
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                for (int z = 0; z < shape.Z; z++)
                    if (mask.Data[shape.Index(x, y, z)] != 0) { cx += x; cy += y; cz += z; count++; }
        int Start(int axis, double sum) =>
            Math.Clamp((int)(count == 0 ? shape[axis] / 2 : sum / count) - size[axis] / 2, 0, Math.Max(0, shape[axis] - size[axis]));
        return new Box3(Start(0, cx), Start(1, cy), Start(2, cz), size);
    }

    /// <summary>Smallest box containing both boxes.</summary>
    public Box3 Union(Box3 other) =>
        FromBounds(Math.Min(X0, other.X0), Math.Min(Y0, other.Y0), Math.Min(Z0, other.Z0), Math.Max(X1, other.X1), Math.Max(Y1, other.Y1), Math.Max(Z1, other.Z1));

    /// <summary>This box grown by <paramref name="margin"/> voxels on every side, clipped to <paramref name="grid"/>.</summary>
    public Box3 Grow(int margin, Shape3 grid) =>
        FromBounds(Math.Max(X0 - margin, 0), Math.Max(Y0 - margin, 0), Math.Max(Z0 - margin, 0),
            Math.Min(X1 + margin, grid.X), Math.Min(Y1 + margin, grid.Y), Math.Min(Z1 + margin, grid.Z));

    /// <summary>Index in the full grid of voxel (x, y, z) given in box coordinates.</summary>
    public int GridIndex(Shape3 grid, int x, int y, int z) => grid.Index(X0 + x, Y0 + y, Z0 + z);

    /// <inheritdoc/>
    public override string ToString() => $"{Size} at ({X0}, {Y0}, {Z0})";
}
