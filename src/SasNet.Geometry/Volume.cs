namespace SasNet.Geometry;

/// <summary>Size of a 3D grid in voxels, in file axis order (X, Y, Z); Z varies fastest in memory.</summary>
public readonly record struct Shape3(int X, int Y, int Z)
{
    /// <summary>Number of voxels, X·Y·Z.</summary>
    public int Count => checked(X * Y * Z);

    /// <summary>Linear index of voxel (x, y, z) in C order: ((x·Y) + y)·Z + z.</summary>
    public int Index(int x, int y, int z) => (x * Y + y) * Z + z;

    /// <summary>Whether (x, y, z) lies inside the grid.</summary>
    public bool Contains(int x, int y, int z) =>
        (uint)x < (uint)X && (uint)y < (uint)Y && (uint)z < (uint)Z;

    /// <summary>Size along axis 0 (X), 1 (Y) or 2 (Z).</summary>
    public int this[int axis] => axis switch
    {
        0 => X,
        1 => Y,
        2 => Z,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "axis must be 0, 1 or 2"),
    };

    /// <summary>The three sizes as an array { X, Y, Z }.</summary>
    public int[] ToArray() => [X, Y, Z];

    /// <summary>Builds a shape from three sizes, each at least 1.</summary>
    public static Shape3 From(IReadOnlyList<int> sizes)
    {
        if (sizes.Count != 3)
            throw new ArgumentException($"a 3D shape needs 3 sizes, got {sizes.Count}", nameof(sizes));
        if (sizes[0] < 1 || sizes[1] < 1 || sizes[2] < 1)
            throw new ArgumentException($"shape sizes must be positive, got ({string.Join(", ", sizes)})", nameof(sizes));
        return new Shape3(sizes[0], sizes[1], sizes[2]);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{X}×{Y}×{Z}";
}

/// <summary>Physical size of a voxel along X, Y, Z (millimetres for medical images).</summary>
public readonly record struct Spacing3(double X, double Y, double Z)
{
    /// <summary>Isotropic unit spacing: distances come out in voxels.</summary>
    public static Spacing3 Unit { get; } = new(1, 1, 1);

    /// <summary>Spacing along axis 0, 1 or 2.</summary>
    public double this[int axis] => axis switch
    {
        0 => X,
        1 => Y,
        2 => Z,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "axis must be 0, 1 or 2"),
    };

    /// <inheritdoc/>
    public override string ToString() => $"({X:g4}, {Y:g4}, {Z:g4})";
}

/// <summary>
/// A 3D image or mask held in managed memory: voxel values in C order over (X, Y, Z), with voxel
/// spacing. The volume owns its array; <see cref="Data"/> is exposed for fast loops, so callers
/// that must not change the original take a <see cref="Clone"/> first.
/// </summary>
/// <typeparam name="T">Voxel type: float for images, byte for masks and labels.</typeparam>
public sealed class Volume<T> where T : unmanaged
{
    /// <summary>Wraps <paramref name="data"/> (not copied) as a volume of the given shape.</summary>
    public Volume(Shape3 shape, T[] data, Spacing3? spacing = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != shape.Count)
            throw new ArgumentException($"volume of shape {shape} needs {shape.Count} values, got {data.Length}", nameof(data));
        Shape = shape;
        Data = data;
        Spacing = spacing ?? Spacing3.Unit;
    }

    /// <summary>A zero-filled volume.</summary>
    public Volume(Shape3 shape, Spacing3? spacing = null) : this(shape, new T[shape.Count], spacing) { }

    /// <summary>Grid size (X, Y, Z).</summary>
    public Shape3 Shape { get; }

    /// <summary>Voxel spacing (X, Y, Z).</summary>
    public Spacing3 Spacing { get; }

    /// <summary>Voxel values, C order over (X, Y, Z).</summary>
    public T[] Data { get; }

    /// <summary>Voxel at (x, y, z).</summary>
    public T this[int x, int y, int z]
    {
        get => Data[Shape.Index(x, y, z)];
        set => Data[Shape.Index(x, y, z)] = value;
    }

    /// <summary>A deep copy.</summary>
    public Volume<T> Clone() => new(Shape, (T[])Data.Clone(), Spacing);

    /// <summary>A new volume of the same shape and spacing with each voxel mapped by <paramref name="map"/>.</summary>
    public Volume<TOut> Map<TOut>(Func<T, TOut> map) where TOut : unmanaged
    {
        var result = new TOut[Data.Length];
        for (int i = 0; i < Data.Length; i++) result[i] = map(Data[i]);
        return new Volume<TOut>(Shape, result, Spacing);
    }

    /// <summary>
    /// The voxels inside <paramref name="box"/> as a volume of the box's size with this spacing; where the box reaches
    /// outside this volume (a crop origin below zero, or past the end), the voxels are zero.
    /// </summary>
    public Volume<T> Crop(Box3 box)
    {
        var patch = box.Size;
        if (patch.X < 1 || patch.Y < 1 || patch.Z < 1) throw new ArgumentException($"the crop box {box} is empty", nameof(box));
        var result = new T[patch.Count];
        int z0 = Math.Max(0, -box.Z0), z1 = Math.Min(patch.Z, Shape.Z - box.Z0);
        if (z1 > z0)
            for (int x = 0; x < patch.X; x++)
            {
                int sx = x + box.X0;
                if ((uint)sx >= (uint)Shape.X) continue;
                for (int y = 0; y < patch.Y; y++)
                {
                    int sy = y + box.Y0;
                    if ((uint)sy >= (uint)Shape.Y) continue;
                    Data.AsSpan(Shape.Index(sx, sy, z0 + box.Z0), z1 - z0).CopyTo(result.AsSpan(patch.Index(x, y, z0), z1 - z0));
                }
            }
        return new Volume<T>(patch, result, Spacing);
    }

    /// <summary>
    /// Every <paramref name="step"/>-th voxel along each axis, from voxel 0: shape ⌈size/step⌉, spacing × step. Puts a
    /// label or image on the grid of a feature map that is <paramref name="step"/> times coarser.
    /// </summary>
    public Volume<T> Strided(int step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        var shape = new Shape3((Shape.X + step - 1) / step, (Shape.Y + step - 1) / step, (Shape.Z + step - 1) / step);
        var result = new T[shape.Count];
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                for (int z = 0; z < shape.Z; z++)
                    result[shape.Index(x, y, z)] = Data[Shape.Index(x * step, y * step, z * step)];
        return new Volume<T>(shape, result, new Spacing3(Spacing.X * step, Spacing.Y * step, Spacing.Z * step));
    }

    /// <inheritdoc/>
    public override string ToString() => $"Volume<{typeof(T).Name}> {Shape} spacing {Spacing}";
}
