using SasNet.Geometry;

namespace SasNet.Data.Preprocessing;

/// <summary>Volume helpers shared by the preprocessing recipes. Arrays are C order over (X, Y, Z).</summary>
public static class VolumeMath
{
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
