using System.Buffers;

namespace SasNet.Geometry;

/// <summary>
/// Normalised signed distance map (SDM) of binary masks, the regression target of L_src
/// (paper §3.4.3, Fig. 5; docs/method.md §5.4). Same result as the official SASNet/UA-MT <c>compute_sdf</c>.
/// </summary>
/// <remarks>
/// <para>For a mask M with both foreground and background:
/// <c>SDM = (neg − min neg)/(max neg − min neg) − (pos − min pos)/(max pos − min pos)</c>, where
/// pos = EDT inside M (distance to the nearest background voxel) and neg = EDT outside M (distance
/// to the nearest foreground voxel). Both minima are 0 (pos vanishes on background, neg on
/// foreground), so this is <c>neg/max(neg) − pos/max(pos)</c>; the denominators are floored at
/// 1e-9 (the official code adds 1e-9 to them instead), which never changes a result because every
/// maximum is at least the smallest voxel spacing. Then the inner-boundary voxels of M
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

        // Outside distances (to the nearest foreground voxel) of all mixed samples in one parallel batch.
        float[] outside = ArrayPool<float>.Shared.Rent(mixed.Count * n);
        try
        {
            for (int k = 0; k < mixed.Count; k++)
            {
                var sample = masks.Slice(mixed[k] * n, n);
                var distances = outside.AsSpan(k * n, n);
                for (int i = 0; i < n; i++) distances[i] = sample[i] != 0 ? 0f : float.PositiveInfinity;
            }
            EuclideanDistance.TransformSquaredInPlace(outside, mixed.Count, shape, spacing, takeSquareRoot: true);

            for (int k = 0; k < mixed.Count; k++)
            {
                var sample = masks.Slice(mixed[k] * n, n);
                var output = result.Slice(mixed[k] * n, n);
                var outsideDistances = outside.AsSpan(k * n, n);
                float maxOutside = 0f;
                foreach (float d in outsideDistances) maxOutside = Math.Max(maxOutside, d);
                double outsideScale = 1.0 / Math.Max(maxOutside, DenominatorFloor);
                for (int i = 0; i < n; i++)
                    output[i] = sample[i] != 0 ? 0f : (float)(outsideDistances[i] * outsideScale);
                WriteInside(sample, shape, spacing, output);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(outside);
        }
    }

    /// <summary>
    /// Writes −pos/max(pos) on the foreground of one mixed sample, and 0 on its inner boundary.
    /// The inside transform only needs the foreground's bounding box grown by one voxel: every
    /// background voxel beyond it is farther from any foreground voxel than its projection onto the
    /// grown box's outer layer, which is background too (or lies outside the array, where there is
    /// nothing). So the transform runs on that box, usually a small part of the volume.
    /// </summary>
    private static void WriteInside(ReadOnlySpan<byte> sample, Shape3 shape, Spacing3 spacing, Span<float> output)
    {
        var box = Box3.Bounding(sample, shape)!.Value.Grow(1, shape);
        var size = box.Size;
        float[] inside = ArrayPool<float>.Shared.Rent(size.Count);
        try
        {
            for (int x = 0; x < size.X; x++)
                for (int y = 0; y < size.Y; y++)
                {
                    var row = sample.Slice(box.GridIndex(shape, x, y, 0), size.Z);
                    var target = inside.AsSpan(size.Index(x, y, 0), size.Z);
                    for (int z = 0; z < size.Z; z++) target[z] = row[z] != 0 ? float.PositiveInfinity : 0f;
                }
            EuclideanDistance.TransformSquaredInPlace(inside, 1, size, spacing, takeSquareRoot: true);

            float maxInside = 0f;
            foreach (float d in inside.AsSpan(0, size.Count)) maxInside = Math.Max(maxInside, d);
            double insideScale = 1.0 / Math.Max(maxInside, DenominatorFloor);
            for (int x = 0; x < size.X; x++)
                for (int y = 0; y < size.Y; y++)
                    for (int z = 0; z < size.Z; z++)
                    {
                        int i = box.GridIndex(shape, x, y, z);
                        if (sample[i] == 0) continue;
                        bool innerBoundary = Boundaries.HasBackgroundNeighbour(sample, shape, box.X0 + x, box.Y0 + y, box.Z0 + z, i, outsideIsBackground: false);
                        output[i] = innerBoundary ? 0f : (float)(-inside[size.Index(x, y, z)] * insideScale);
                    }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(inside);
        }
    }
}
