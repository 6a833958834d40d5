namespace SasNet.Geometry;

/// <summary>An axis-aligned block of voxels: origin (inclusive) and size, inside some larger grid.</summary>
internal readonly record struct Box3(int X0, int Y0, int Z0, Shape3 Size)
{
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

    /// <summary>Smallest box containing both boxes.</summary>
    public Box3 Union(Box3 other)
    {
        int x0 = Math.Min(X0, other.X0), y0 = Math.Min(Y0, other.Y0), z0 = Math.Min(Z0, other.Z0);
        int x1 = Math.Max(X0 + Size.X, other.X0 + other.Size.X);
        int y1 = Math.Max(Y0 + Size.Y, other.Y0 + other.Size.Y);
        int z1 = Math.Max(Z0 + Size.Z, other.Z0 + other.Size.Z);
        return new Box3(x0, y0, z0, new Shape3(x1 - x0, y1 - y0, z1 - z0));
    }

    /// <summary>This box grown by <paramref name="margin"/> voxels on every side, clipped to <paramref name="grid"/>.</summary>
    public Box3 Grow(int margin, Shape3 grid)
    {
        int x0 = Math.Max(X0 - margin, 0), y0 = Math.Max(Y0 - margin, 0), z0 = Math.Max(Z0 - margin, 0);
        int x1 = Math.Min(X0 + Size.X + margin, grid.X);
        int y1 = Math.Min(Y0 + Size.Y + margin, grid.Y);
        int z1 = Math.Min(Z0 + Size.Z + margin, grid.Z);
        return new Box3(x0, y0, z0, new Shape3(x1 - x0, y1 - y0, z1 - z0));
    }

    /// <summary>Index in the full grid of voxel (x, y, z) given in box coordinates.</summary>
    public int GridIndex(Shape3 grid, int x, int y, int z) => grid.Index(X0 + x, Y0 + y, Z0 + z);
}
