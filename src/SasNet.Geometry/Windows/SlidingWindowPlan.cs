namespace SasNet.Geometry;

/// <summary>
/// Where the windows of sliding-window inference go on one volume (docs/method.md §8, steps 1–2): the zero padding
/// per axis and the window starts in the padded volume. Pure geometry; the inference itself, which runs a network on
/// the windows, is <c>SasNet.Inference.SlidingWindowPredictor</c>.
/// </summary>
/// <param name="Volume">Original volume size (X, Y, Z).</param>
/// <param name="Patch">Window size (px, py, pz).</param>
/// <param name="Padded">Size after zero padding each axis to at least the patch.</param>
/// <param name="PadBefore">Zeros added before the data on each axis (⌊pad/2⌋; the rest goes after).</param>
/// <param name="StartsX">Window start indices along X in the padded volume.</param>
/// <param name="StartsY">Window start indices along Y.</param>
/// <param name="StartsZ">Window start indices along Z.</param>
public sealed record SlidingWindowPlan(Shape3 Volume, Shape3 Patch, Shape3 Padded, Shape3 PadBefore,
    IReadOnlyList<int> StartsX, IReadOnlyList<int> StartsY, IReadOnlyList<int> StartsZ)
{
    /// <summary>Total number of windows: product of the per-axis counts.</summary>
    public int WindowCount => StartsX.Count * StartsY.Count * StartsZ.Count;

    /// <summary>
    /// Every window's start (x, y, z) in the padded volume, X-major (Z varies fastest) like the loops of the official
    /// <c>test_single_case</c>; <see cref="WindowCount"/> entries.
    /// </summary>
    public IReadOnlyList<(int X, int Y, int Z)> Starts()
    {
        var starts = new List<(int X, int Y, int Z)>(WindowCount);
        foreach (int x in StartsX)
            foreach (int y in StartsY)
                foreach (int z in StartsZ)
                    starts.Add((x, y, z));
        return starts;
    }

    /// <summary>
    /// The plan for a volume of size <paramref name="volume"/>: every axis shorter than the patch is padded with zeros
    /// to the patch size, ⌊pad/2⌋ before and the rest after; along each axis the windows start at
    /// <see cref="WindowStarts"/>.
    /// </summary>
    /// <param name="volume">Volume size (X, Y, Z), every entry ≥ 1.</param>
    /// <param name="patch">Window size, every entry ≥ 1 (e.g. 112×112×80 for LA).</param>
    /// <param name="stride">Step between window starts per axis, every entry ≥ 1 (e.g. 18/18/4 for LA).</param>
    public static SlidingWindowPlan Create(Shape3 volume, Shape3 patch, Shape3 stride)
    {
        Guard.Shape(volume, nameof(volume));
        if (patch.X < 1 || patch.Y < 1 || patch.Z < 1)
            throw new ArgumentException($"patch sizes must be positive, got {patch}", nameof(patch));
        if (stride.X < 1 || stride.Y < 1 || stride.Z < 1)
            throw new ArgumentException($"strides must be positive, got {stride}", nameof(stride));
        var padded = new int[3];
        var before = new int[3];
        var starts = new int[3][];
        for (int axis = 0; axis < 3; axis++)
        {
            int pad = Math.Max(patch[axis] - volume[axis], 0);
            before[axis] = pad / 2;
            padded[axis] = volume[axis] + pad;
            starts[axis] = WindowStarts(padded[axis], patch[axis], stride[axis]);
        }
        return new SlidingWindowPlan(volume, patch, Shape3.From(padded), new Shape3(before[0], before[1], before[2]),
            starts[0], starts[1], starts[2]);
    }

    /// <summary>
    /// Window starts along one axis of (already padded) length <paramref name="size"/> ≥ <paramref name="patch"/>:
    /// min(stride·i, size − patch) for i = 0 … ⌈(size − patch)/stride⌉. The last window always ends at the edge.
    /// </summary>
    public static int[] WindowStarts(int size, int patch, int stride)
    {
        if (patch < 1) throw new ArgumentException($"patch size must be positive, got {patch}", nameof(patch));
        if (stride < 1) throw new ArgumentException($"stride must be positive, got {stride}", nameof(stride));
        if (size < patch) throw new ArgumentException($"size {size} is smaller than the patch {patch}; pad first", nameof(size));
        int count = (size - patch + stride - 1) / stride + 1;
        var starts = new int[count];
        for (int i = 0; i < count; i++) starts[i] = Math.Min(stride * i, size - patch);
        return starts;
    }

    /// <summary>
    /// Per-voxel weight of a window, layout (px, py, pz) in C order: all ones (the official uniform average), or a
    /// separable Gaussian with σ = patch/8 per axis centred at (patch − 1)/2 and scaled so its largest value is 1 (as in
    /// nnU-Net and MONAI).
    /// </summary>
    public static float[] WindowWeights(Shape3 patch, bool gaussian)
    {
        Guard.Shape(patch, nameof(patch));
        var weights = new float[patch.Count];
        if (!gaussian)
        {
            Array.Fill(weights, 1f);
            return weights;
        }
        var profiles = new double[3][];
        for (int axis = 0; axis < 3; axis++)
        {
            int n = patch[axis];
            double sigma = n / 8.0, centre = (n - 1) / 2.0;
            profiles[axis] = new double[n];
            for (int i = 0; i < n; i++) profiles[axis][i] = Math.Exp(-(i - centre) * (i - centre) / (2 * sigma * sigma));
        }
        double peak = profiles[0].Max() * profiles[1].Max() * profiles[2].Max();
        for (int x = 0; x < patch.X; x++)
            for (int y = 0; y < patch.Y; y++)
                for (int z = 0; z < patch.Z; z++)
                    weights[patch.Index(x, y, z)] = (float)(profiles[0][x] * profiles[1][y] * profiles[2][z] / peak);
        return weights;
    }
}
