namespace SasNet.Geometry;

/// <summary>Statistics of voxel values that the notebooks report beside figures (Fig. 5's SDM heads, Fig. 8's feature maps).</summary>
public static class VolumeStatistics
{
    /// <summary>Pearson's correlation of two equally long value arrays (0 when either is constant).</summary>
    public static double Pearson(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"arrays of {a.Length} and {b.Length} values cannot be correlated");
        if (a.Length == 0) throw new ArgumentException("no values to correlate");
        double meanA = 0, meanB = 0;
        for (int i = 0; i < a.Length; i++) { meanA += a[i]; meanB += b[i]; }
        meanA /= a.Length;
        meanB /= b.Length;
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double da = a[i] - meanA, db = b[i] - meanB;
            ab += da * db; aa += da * da; bb += db * db;
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.Sqrt(aa * bb);
    }

    /// <summary>The population standard deviation of <paramref name="map"/>'s values on Z slice <paramref name="z"/>.</summary>
    public static double SliceStandardDeviation(Volume<float> map, int z)
    {
        ArgumentNullException.ThrowIfNull(map);
        var s = map.Shape;
        if ((uint)z >= (uint)s.Z) throw new ArgumentOutOfRangeException(nameof(z), z, $"the volume has {s.Z} slices along Z");
        double sum = 0, sumSquares = 0;
        for (int x = 0; x < s.X; x++)
            for (int y = 0; y < s.Y; y++)
            {
                double v = map.Data[s.Index(x, y, z)];
                sum += v; sumSquares += v * v;
            }
        int n = s.X * s.Y;
        double mean = sum / n;
        return Math.Sqrt(Math.Max(sumSquares / n - mean * mean, 0));
    }

    /// <summary>Mean, the standard deviation (population) and the means inside and outside a mask, of one Z slice.</summary>
    /// <param name="Inside">Mean over the slice's mask voxels.</param>
    /// <param name="Outside">Mean over the slice's other voxels.</param>
    /// <param name="StandardDeviation">Over the whole slice.</param>
    public readonly record struct SliceContrast(double Inside, double Outside, double StandardDeviation)
    {
        /// <summary>(inside − outside) in standard deviations of the slice.</summary>
        public double Sigmas => (Inside - Outside) / (StandardDeviation + 1e-12);
    }

    /// <summary>
    /// How much <paramref name="map"/> differs inside <paramref name="mask"/> from outside it on slice <paramref name="z"/>
    /// (both of one shape); null when the mask covers all or none of the slice.
    /// </summary>
    public static SliceContrast? Contrast(Volume<float> map, Volume<byte> mask, int z)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(mask);
        if (map.Shape != mask.Shape) throw new ArgumentException($"map {map.Shape} and mask {mask.Shape} differ in shape");
        var s = map.Shape;
        if ((uint)z >= (uint)s.Z) throw new ArgumentOutOfRangeException(nameof(z), z, $"the volumes have {s.Z} slices along Z");
        double inside = 0, outside = 0;
        int insideCount = 0, outsideCount = 0;
        for (int x = 0; x < s.X; x++)
            for (int y = 0; y < s.Y; y++)
            {
                int i = s.Index(x, y, z);
                double v = map.Data[i];
                if (mask.Data[i] != 0) { inside += v; insideCount++; } else { outside += v; outsideCount++; }
            }
        if (insideCount == 0 || outsideCount == 0) return null;
        return new SliceContrast(inside / insideCount, outside / outsideCount, SliceStandardDeviation(map, z));
    }
}
