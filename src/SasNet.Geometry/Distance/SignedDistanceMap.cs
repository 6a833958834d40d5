using System.Buffers;

namespace SasNet.Geometry;

/// <summary>
/// Normalised signed distance map (SDM) of binary masks, the regression target of L_src
/// (SPEC §2.4; paper Fig. 5). Same result as the official SASNet/UA-MT <c>compute_sdf</c>.
/// </summary>
/// <remarks>
/// <para>For a mask M with both foreground and background:
/// <c>SDM = (neg − min neg)/(max neg − min neg) − (pos − min pos)/(max pos − min pos)</c>, where
/// pos = EDT inside M (distance to the nearest background voxel) and neg = EDT outside M (distance
/// to the nearest foreground voxel). Both minima are 0 (pos vanishes on background, neg on
/// foreground), so this is <c>neg/max(neg) − pos/max(pos)</c>; the denominators are floored at
/// 1e-9 as the SPEC asks, which never changes a result because every maximum is at least the
/// smallest voxel spacing. Then the inner-boundary voxels of M
/// (<see cref="Boundaries.Inner(ReadOnlySpan{byte}, Shape3)"/>) are set to 0.
/// Values lie in [−1, 1]: negative inside, positive outside.</para>
/// <para>Degenerate masks: an empty mask gives an all-zero map (as the official code). A mask that is
/// foreground everywhere has no background to measure from — the official code yields NaN
/// (0/0) there — and we define its map as −1 everywhere: every voxel is "deepest inside", no voxel is
/// an inner boundary (neighbours outside the array do not count), and the map stays in [−1, 1].</para>
/// <para>Layout: masks and maps are C order over (X, Y, Z), Z fastest; batches are (B, X, Y, Z).
/// Distances use <c>spacing</c> (voxel units by default, as the official training code).</para>
/// </remarks>
public static class SignedDistanceMap
{
    private const double DenominatorFloor = 1e-9;

    /// <summary>SDM of one mask of shape (X, Y, Z); returns a map of the same layout.</summary>
    public static float[] Compute(ReadOnlySpan<byte> mask, Shape3 shape, Spacing3? spacing = null) =>
        ComputeBatch(mask, 1, shape, spacing);

    /// <summary>SDM of a mask volume, in voxel units unless <paramref name="useSpacing"/> is set.</summary>
    public static Volume<float> Compute(Volume<byte> mask, bool useSpacing = false)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var map = Compute(mask.Data, mask.Shape, useSpacing ? mask.Spacing : Spacing3.Unit);
        return new Volume<float>(mask.Shape, map, mask.Spacing);
    }

    /// <summary>
    /// SDM of each sample of a (B, X, Y, Z) batch of masks (B = <paramref name="batch"/>), computed
    /// independently per sample; returns a (B, X, Y, Z) map. Transforms of all samples run together
    /// in parallel.
    /// </summary>
    public static float[] ComputeBatch(ReadOnlySpan<byte> masks, int batch, Shape3 shape, Spacing3? spacing = null)
    {
        var result = new float[EuclideanDistance.CheckedTotal(masks.Length, batch, shape, spacing ?? Spacing3.Unit, nameof(masks))];
        ComputeBatch(masks, batch, shape, spacing ?? Spacing3.Unit, result);
        return result;
    }

    /// <summary>
    /// As <see cref="ComputeBatch(ReadOnlySpan{byte}, int, Shape3, Spacing3?)"/>, writing into
    /// <paramref name="result"/> (length B·X·Y·Z) instead of allocating the map.
    /// </summary>
    public static void ComputeBatch(ReadOnlySpan<byte> masks, int batch, Shape3 shape, Spacing3 spacing, Span<float> result)
    {
        int total = EuclideanDistance.CheckedTotal(masks.Length, batch, shape, spacing, nameof(masks));
        Guard.Length(result.Length, total, "the SDM output", nameof(result));
        int n = shape.Count;

        // Samples with both classes need two transforms; the others are filled directly.
        var mixed = new List<int>(batch);
        for (int b = 0; b < batch; b++)
        {
            var sample = masks.Slice(b * n, n);
            int foreground = n - sample.Count((byte)0);
            var output = result.Slice(b * n, n);
            if (foreground == 0) output.Clear();
            else if (foreground == n) output.Fill(-1f);
            else mixed.Add(b);
        }
        if (mixed.Count == 0) return;

        // Distances of mixed sample k: inside (pos) at volume 2k, outside (neg) at 2k+1.
        int volumes = 2 * mixed.Count;
        float[] distances = ArrayPool<float>.Shared.Rent(volumes * n);
        byte[] boundary = ArrayPool<byte>.Shared.Rent(n);
        try
        {
            for (int k = 0; k < mixed.Count; k++)
            {
                var sample = masks.Slice(mixed[k] * n, n);
                var inside = distances.AsSpan(2 * k * n, n);
                var outside = distances.AsSpan((2 * k + 1) * n, n);
                for (int i = 0; i < n; i++)
                {
                    bool isForeground = sample[i] != 0;
                    inside[i] = isForeground ? float.PositiveInfinity : 0f;
                    outside[i] = isForeground ? 0f : float.PositiveInfinity;
                }
            }
            EuclideanDistance.TransformSquaredInPlace(distances, volumes, shape, spacing, takeSquareRoot: true);

            for (int k = 0; k < mixed.Count; k++)
            {
                var sample = masks.Slice(mixed[k] * n, n);
                var inside = distances.AsSpan(2 * k * n, n);
                var outside = distances.AsSpan((2 * k + 1) * n, n);
                float maxInside = 0f, maxOutside = 0f;
                for (int i = 0; i < n; i++)
                {
                    if (inside[i] > maxInside) maxInside = inside[i];
                    if (outside[i] > maxOutside) maxOutside = outside[i];
                }
                double insideScale = 1.0 / Math.Max(maxInside, DenominatorFloor);
                double outsideScale = 1.0 / Math.Max(maxOutside, DenominatorFloor);
                var output = result.Slice(mixed[k] * n, n);
                for (int i = 0; i < n; i++)
                    output[i] = sample[i] != 0 ? (float)(-inside[i] * insideScale) : (float)(outside[i] * outsideScale);

                Boundaries.Mark(sample, shape, outsideIsBackground: false, boundary.AsSpan(0, n));
                for (int i = 0; i < n; i++)
                    if (boundary[i] != 0) output[i] = 0f;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(distances);
            ArrayPool<byte>.Shared.Return(boundary);
        }
    }
}
