using SasNet.Geometry;

namespace SasNet.Data.Preprocessing;

/// <summary>An axis-aligned box of voxels, inclusive minimum and exclusive maximum on each axis.</summary>
/// <param name="Min">First voxel (x, y, z).</param>
/// <param name="Max">One past the last voxel (x, y, z).</param>
public readonly record struct VoxelBox((int X, int Y, int Z) Min, (int X, int Y, int Z) Max)
{
    /// <summary>Size of the box.</summary>
    public Shape3 Shape => new(Max.X - Min.X, Max.Y - Min.Y, Max.Z - Min.Z);
}

/// <summary>Volume helpers shared by the preprocessing recipes. Arrays are C order over (X, Y, Z).</summary>
public static class VolumeMath
{
    /// <summary>Bounding box of the voxels where <paramref name="inside"/> holds, or null when there are none.</summary>
    public static VoxelBox? BoundingBox<T>(Volume<T> volume, Func<T, bool> inside) where T : unmanaged
    {
        var s = volume.Shape;
        int x0 = int.MaxValue, y0 = int.MaxValue, z0 = int.MaxValue, x1 = -1, y1 = -1, z1 = -1;
        for (int x = 0; x < s.X; x++)
            for (int y = 0; y < s.Y; y++)
                for (int z = 0; z < s.Z; z++)
                {
                    if (!inside(volume.Data[s.Index(x, y, z)])) continue;
                    x0 = Math.Min(x0, x); y0 = Math.Min(y0, y); z0 = Math.Min(z0, z);
                    x1 = Math.Max(x1, x); y1 = Math.Max(y1, y); z1 = Math.Max(z1, z);
                }
        return x1 < 0 ? null : new VoxelBox((x0, y0, z0), (x1 + 1, y1 + 1, z1 + 1));
    }

    /// <summary>The sub-volume inside <paramref name="box"/> (which must lie inside the volume).</summary>
    public static Volume<T> Crop<T>(Volume<T> volume, VoxelBox box) where T : unmanaged
    {
        var s = volume.Shape;
        if (box.Min.X < 0 || box.Min.Y < 0 || box.Min.Z < 0 || box.Max.X > s.X || box.Max.Y > s.Y || box.Max.Z > s.Z || box.Shape.Count <= 0)
            throw new ArgumentOutOfRangeException(nameof(box), box, $"box must lie inside the volume {s}");
        var shape = box.Shape;
        var result = new T[shape.Count];
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                volume.Data.AsSpan(s.Index(x + box.Min.X, y + box.Min.Y, box.Min.Z), shape.Z).CopyTo(result.AsSpan(shape.Index(x, y, 0), shape.Z));
        return new Volume<T>(shape, result, volume.Spacing);
    }

    /// <summary>Mean and population standard deviation over the voxels selected by <paramref name="mask"/> (all when null).</summary>
    public static (double Mean, double Std) MeanStd(float[] values, byte[]? mask = null)
    {
        double sum = 0, sumSq = 0;
        long n = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (mask is not null && mask[i] == 0) continue;
            sum += values[i];
            sumSq += (double)values[i] * values[i];
            n++;
        }
        if (n == 0) return (0, 0);
        double mean = sum / n;
        return (mean, Math.Sqrt(Math.Max(sumSq / n - mean * mean, 0)));
    }

    /// <summary>Percentile (0..100) with linear interpolation between order statistics, like numpy's default.</summary>
    public static double Percentile(IEnumerable<float> values, double percent)
    {
        var sorted = values.ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no values", nameof(values));
        Array.Sort(sorted);
        double rank = percent / 100 * (sorted.Length - 1);
        int lo = (int)Math.Floor(rank), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    /// <summary>
    /// Resamples to <paramref name="newSpacing"/>: output size round(size·spacing/newSpacing) per axis, output
    /// voxel i sampled at input coordinate i·newSpacing/spacing (voxel 0 stays at the origin), trilinear with
    /// edge clamping.
    /// </summary>
    public static Volume<float> ResampleLinear(Volume<float> volume, Spacing3 newSpacing)
    {
        var (shape, scale) = Target(volume, newSpacing);
        var s = volume.Shape;
        var result = new float[shape.Count];
        Parallel.For(0, shape.X, x =>
        {
            double fx = Math.Min(x * scale.X, s.X - 1);
            int x0 = (int)fx, x1 = Math.Min(x0 + 1, s.X - 1);
            double wx = fx - x0;
            for (int y = 0; y < shape.Y; y++)
            {
                double fy = Math.Min(y * scale.Y, s.Y - 1);
                int y0 = (int)fy, y1 = Math.Min(y0 + 1, s.Y - 1);
                double wy = fy - y0;
                for (int z = 0; z < shape.Z; z++)
                {
                    double fz = Math.Min(z * scale.Z, s.Z - 1);
                    int z0 = (int)fz, z1 = Math.Min(z0 + 1, s.Z - 1);
                    double wz = fz - z0;
                    double V(int a, int b, int c) => volume.Data[s.Index(a, b, c)];
                    double c00 = V(x0, y0, z0) * (1 - wz) + V(x0, y0, z1) * wz, c01 = V(x0, y1, z0) * (1 - wz) + V(x0, y1, z1) * wz;
                    double c10 = V(x1, y0, z0) * (1 - wz) + V(x1, y0, z1) * wz, c11 = V(x1, y1, z0) * (1 - wz) + V(x1, y1, z1) * wz;
                    result[shape.Index(x, y, z)] = (float)((c00 * (1 - wy) + c01 * wy) * (1 - wx) + (c10 * (1 - wy) + c11 * wy) * wx);
                }
            }
        });
        return new Volume<float>(shape, result, newSpacing);
    }

    /// <summary>Nearest-neighbour version of <see cref="ResampleLinear"/>, for labels.</summary>
    public static Volume<byte> ResampleNearest(Volume<byte> volume, Spacing3 newSpacing)
    {
        var (shape, scale) = Target(volume, newSpacing);
        var s = volume.Shape;
        var result = new byte[shape.Count];
        for (int x = 0; x < shape.X; x++)
        {
            int sx = Math.Min((int)Math.Round(x * scale.X), s.X - 1);
            for (int y = 0; y < shape.Y; y++)
            {
                int sy = Math.Min((int)Math.Round(y * scale.Y), s.Y - 1);
                for (int z = 0; z < shape.Z; z++)
                    result[shape.Index(x, y, z)] = volume.Data[s.Index(sx, sy, Math.Min((int)Math.Round(z * scale.Z), s.Z - 1))];
            }
        }
        return new Volume<byte>(shape, result, newSpacing);
    }

    private static (Shape3 Shape, (double X, double Y, double Z) Scale) Target<T>(Volume<T> volume, Spacing3 spacing) where T : unmanaged
    {
        var s = volume.Shape;
        var old = volume.Spacing;
        var shape = new Shape3(
            Math.Max(1, (int)Math.Round(s.X * old.X / spacing.X)),
            Math.Max(1, (int)Math.Round(s.Y * old.Y / spacing.Y)),
            Math.Max(1, (int)Math.Round(s.Z * old.Z / spacing.Z)));
        return (shape, (spacing.X / old.X, spacing.Y / old.Y, spacing.Z / old.Z));
    }
}
