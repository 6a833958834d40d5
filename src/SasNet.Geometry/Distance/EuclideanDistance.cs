namespace SasNet.Geometry;

/// <summary>
/// Exact Euclidean distance transform (EDT) in linear time, with anisotropic voxel spacing.
/// </summary>
/// <remarks>
/// <para>Layout: every volume is a flat array in C order over (X, Y, Z), Z fastest
/// (<see cref="Shape3.Index"/>); a batch is B such volumes back to back, i.e. (B, X, Y, Z).</para>
/// <para>Algorithm: the squared distance is separable, so it is computed one axis at a time.
/// Along Z (contiguous lines) a two-sweep scan gives the 1D distance to the nearest site; along Y
/// and then X each line is replaced by the lower envelope of the parabolas
/// <c>(q − p)²·s² + f(p)</c> (Felzenszwalb &amp; Huttenlocher, 2012), which is exact. Each pass is
/// O(voxels); lines run in parallel with per-thread line buffers, so the only large allocation is
/// the result.</para>
/// <para>Semantics follow <c>scipy.ndimage.distance_transform_edt</c>: <see cref="ToBackground(ReadOnlySpan{byte}, Shape3, Spacing3)"/>
/// gives, for each nonzero voxel, the distance to the nearest zero voxel (0 on zero voxels).
/// Where no site exists at all (e.g. a mask with no background) the distance is
/// <see cref="float.PositiveInfinity"/>; scipy returns an arbitrary finite value there.</para>
/// </remarks>
public static class EuclideanDistance
{
    /// <summary>
    /// Distance from every voxel to the nearest background (zero) voxel of <paramref name="mask"/>,
    /// in the units of <paramref name="spacing"/>; 0 on background voxels. Layout (X, Y, Z), Z fastest.
    /// </summary>
    public static float[] ToBackground(ReadOnlySpan<byte> mask, Shape3 shape, Spacing3 spacing) =>
        ToBackgroundBatch(mask, 1, shape, spacing);

    /// <summary>Distance to the nearest background voxel of a mask volume, using the volume's spacing.</summary>
    public static Volume<float> ToBackground(Volume<byte> mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return new Volume<float>(mask.Shape, ToBackground(mask.Data, mask.Shape, mask.Spacing), mask.Spacing);
    }

    /// <summary>
    /// Distance from every voxel to the nearest nonzero voxel ("site") of <paramref name="sites"/>;
    /// 0 on the sites themselves. This is the EDT of the complement of <paramref name="sites"/>.
    /// Layout (X, Y, Z), Z fastest.
    /// </summary>
    public static float[] ToNearestSite(ReadOnlySpan<byte> sites, Shape3 shape, Spacing3 spacing) =>
        ToNearestSiteBatch(sites, 1, shape, spacing);

    /// <summary>
    /// Batched <see cref="ToBackground(ReadOnlySpan{byte}, Shape3, Spacing3)"/>: <paramref name="masks"/>
    /// is (B, X, Y, Z) with B = <paramref name="batch"/>; returns distances with the same layout.
    /// Samples are independent (distances never cross sample boundaries).
    /// </summary>
    public static float[] ToBackgroundBatch(ReadOnlySpan<byte> masks, int batch, Shape3 shape, Spacing3 spacing)
    {
        var result = new float[CheckedTotal(masks.Length, batch, shape, spacing, nameof(masks))];
        for (int i = 0; i < result.Length; i++)
            result[i] = masks[i] == 0 ? 0f : float.PositiveInfinity;
        TransformSquaredInPlace(result, batch, shape, spacing, takeSquareRoot: true);
        return result;
    }

    /// <summary>
    /// Batched <see cref="ToNearestSite(ReadOnlySpan{byte}, Shape3, Spacing3)"/>: <paramref name="sites"/>
    /// is (B, X, Y, Z); returns distances with the same layout.
    /// </summary>
    public static float[] ToNearestSiteBatch(ReadOnlySpan<byte> sites, int batch, Shape3 shape, Spacing3 spacing)
    {
        var result = new float[CheckedTotal(sites.Length, batch, shape, spacing, nameof(sites))];
        for (int i = 0; i < result.Length; i++)
            result[i] = sites[i] != 0 ? 0f : float.PositiveInfinity;
        TransformSquaredInPlace(result, batch, shape, spacing, takeSquareRoot: true);
        return result;
    }

    /// <summary>Validates a (B, X, Y, Z) input and returns B·X·Y·Z.</summary>
    internal static int CheckedTotal(int length, int batch, Shape3 shape, Spacing3 spacing, string paramName)
    {
        Guard.Shape(shape, nameof(shape));
        Guard.Batch(batch, nameof(batch));
        Guard.Spacing(spacing, nameof(spacing));
        long total = (long)batch * shape.Count;
        if (total > Array.MaxLength)
            throw new ArgumentException($"a batch of {batch} volumes of {shape} is too large for one array", nameof(batch));
        Guard.Length(length, total, $"a batch of {batch} volume(s) of shape {shape}", paramName);
        return (int)total;
    }

    /// <summary>
    /// Core transform. On entry <paramref name="values"/> holds, per voxel of a (B, X, Y, Z) batch,
    /// 0 at sites and +∞ elsewhere; on exit it holds the squared distance to the nearest site of the
    /// same sample (or the distance itself, when <paramref name="takeSquareRoot"/> is set).
    /// </summary>
    internal static void TransformSquaredInPlace(float[] values, int batch, Shape3 shape, Spacing3 spacing, bool takeSquareRoot)
    {
        int sizeX = shape.X, sizeY = shape.Y, sizeZ = shape.Z;
        double sz2 = spacing.Z * spacing.Z, sy2 = spacing.Y * spacing.Y, sx2 = spacing.X * spacing.X;

        // Passes along Z then Y stay inside one X-slab (Y·Z contiguous values, cache resident), so
        // slabs of all samples run in parallel.
        Parallel.For(0, batch * sizeX,
            () => new LineBuffers(Math.Max(sizeY, sizeZ), tileLength: 0),
            (slab, _, buffers) =>
            {
                int slabStart = slab * sizeY * sizeZ;
                for (int y = 0; y < sizeY; y++)
                    ScanLine(values.AsSpan(slabStart + y * sizeZ, sizeZ), sz2);
                if (sizeY > 1)
                {
                    var line = buffers.Line.AsSpan(0, sizeY);
                    for (int z = 0; z < sizeZ; z++)
                    {
                        for (int y = 0; y < sizeY; y++) line[y] = values[slabStart + y * sizeZ + z];
                        LowerEnvelope(line, sy2, buffers);
                        for (int y = 0; y < sizeY; y++) values[slabStart + y * sizeZ + z] = (float)line[y];
                    }
                }
                return buffers;
            },
            _ => { });

        // Pass along X: for one (sample, y) gather the X×Z tile row by row (contiguous Z runs),
        // transform each column as an X line, and scatter back (with the square root if asked).
        Parallel.For(0, batch * sizeY,
            () => new LineBuffers(sizeX, tileLength: sizeX * sizeZ),
            (row, _, buffers) =>
            {
                int sampleStart = row / sizeY * shape.Count;
                int y = row % sizeY;
                var tile = buffers.Tile;
                for (int x = 0; x < sizeX; x++)
                {
                    int source = sampleStart + (x * sizeY + y) * sizeZ;
                    for (int z = 0; z < sizeZ; z++) tile[z * sizeX + x] = values[source + z];
                }
                if (sizeX > 1)
                    for (int z = 0; z < sizeZ; z++)
                        LowerEnvelope(tile.AsSpan(z * sizeX, sizeX), sx2, buffers);
                for (int x = 0; x < sizeX; x++)
                {
                    int target = sampleStart + (x * sizeY + y) * sizeZ;
                    for (int z = 0; z < sizeZ; z++)
                    {
                        double squared = tile[z * sizeX + x];
                        values[target + z] = (float)(takeSquareRoot ? Math.Sqrt(squared) : squared);
                    }
                }
                return buffers;
            },
            _ => { });
    }

    /// <summary>
    /// 1D squared distance along a contiguous line whose entries are 0 (site) or +∞: a forward sweep
    /// records the index distance to the previous site, a backward sweep takes the nearer of the two.
    /// </summary>
    private static void ScanLine(Span<float> line, double spacingSquared)
    {
        int n = line.Length;
        int previousSite = -1;
        for (int i = 0; i < n; i++)
        {
            if (line[i] == 0f) previousSite = i;
            else line[i] = previousSite < 0 ? float.PositiveInfinity : i - previousSite;
        }
        int nextSite = -1;
        for (int i = n - 1; i >= 0; i--)
        {
            float steps = line[i];
            if (steps == 0f) { nextSite = i; continue; }
            if (nextSite >= 0 && nextSite - i < steps) steps = nextSite - i;
            line[i] = float.IsPositiveInfinity(steps) ? steps : (float)(steps * (double)steps * spacingSquared);
        }
    }

    /// <summary>
    /// Replaces f(q) by min over p of (q − p)²·s² + f(p), with s² = <paramref name="spacingSquared"/>,
    /// through the lower envelope of the parabolas rooted at the finite samples. Infinite samples
    /// contribute no parabola; a line without finite samples stays infinite.
    /// </summary>
    private static void LowerEnvelope(Span<double> line, double spacingSquared, LineBuffers buffers)
    {
        // Lines made only of sites (all zero) are common deep inside or far outside a mask: nothing to do.
        if (!line.ContainsAnyExcept(0.0)) return;
        int n = line.Length;
        var roots = buffers.Roots;
        var bounds = buffers.Bounds;
        var height = buffers.Height;
        double inverseSpacingSquared = 1.0 / spacingSquared;

        // Work in index units: h(p) = f(p)/s² + p², so parabolas p and q intersect at
        // (h(q) − h(p)) / (2(q − p)).
        int top = -1;
        for (int q = 0; q < n; q++)
        {
            double f = line[q];
            if (double.IsPositiveInfinity(f)) continue;
            double hq = f * inverseSpacingSquared + (double)q * q;
            double start = double.NegativeInfinity;
            while (top >= 0)
            {
                int p = roots[top];
                start = (hq - height[top]) / (2.0 * (q - p));
                if (start > bounds[top]) break;
                top--;                    // parabola p is nowhere lowest any more
                start = double.NegativeInfinity;
            }
            top++;
            roots[top] = q;
            height[top] = hq;
            bounds[top] = start;
        }
        if (top < 0) return;              // no site on this line: stays +∞

        int segment = 0;
        for (int q = 0; q < n; q++)
        {
            while (segment < top && bounds[segment + 1] < q) segment++;
            int p = roots[segment];
            double offset = q - p;
            line[q] = (offset * offset + height[segment] - (double)p * p) * spacingSquared;
        }
    }

    /// <summary>Per-thread scratch space reused across lines.</summary>
    private sealed class LineBuffers
    {
        public LineBuffers(int maxLine, int tileLength = 0)
        {
            Line = new double[maxLine];
            Height = new double[maxLine];
            Roots = new int[maxLine];
            Bounds = new double[maxLine + 1];
            Tile = new double[tileLength];
        }

        /// <summary>A gathered line of squared distances.</summary>
        public double[] Line { get; }
        /// <summary>f(p)/s² + p² for each parabola root p.</summary>
        public double[] Height { get; }
        /// <summary>Roots of the parabolas on the lower envelope.</summary>
        public int[] Roots { get; }
        /// <summary>Left bound of the interval where each envelope parabola is lowest.</summary>
        public double[] Bounds { get; }
        /// <summary>X×Z tile for the X pass (Z-major so that each X line is contiguous).</summary>
        public double[] Tile { get; }
    }
}
