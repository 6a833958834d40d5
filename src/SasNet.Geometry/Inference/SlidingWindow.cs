namespace SasNet.Geometry;

/// <summary>Settings of <see cref="SlidingWindow.Predict(Volume{float}, IWindowPredictor, SlidingWindowOptions)"/> (docs/method.md §8).</summary>
/// <param name="Patch">Window size (px, py, pz), e.g. 112×112×80 for LA.</param>
/// <param name="Stride">Step between window starts per axis, e.g. 18/18/4 for LA; every entry ≥ 1.</param>
public sealed record SlidingWindowOptions(Shape3 Patch, Shape3 Stride)
{
    /// <summary>LA settings of the official test script: patch 112×112×80, stride 18/18/4.</summary>
    public static SlidingWindowOptions LeftAtrium { get; } = new(new Shape3(112, 112, 80), new Shape3(18, 18, 4));

    /// <summary>Pancreas-CT/BraTS settings of the official test script: patch 96³, stride 16/16/16.</summary>
    public static SlidingWindowOptions Pancreas { get; } = new(new Shape3(96, 96, 96), new Shape3(16, 16, 16));

    /// <summary>
    /// Weight each window's voxels by a Gaussian centred in the window (σ = patch/8 per axis, as in
    /// nnU-Net and MONAI) instead of uniformly. Off by default: the official evaluation averages
    /// overlapping windows uniformly.
    /// </summary>
    public bool GaussianWeighting { get; init; }

    /// <summary>
    /// A voxel is foreground when its averaged probability is strictly greater than this (default 0.5).
    /// With two averaged softmax channels this is the official argmax, which sends ties to background.
    /// </summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Keep only the largest connected component of the thresholded mask (off by default).</summary>
    public bool KeepLargestComponent { get; init; }

    /// <summary>Connectivity used by <see cref="KeepLargestComponent"/> (default 26, skimage's 3D default).</summary>
    public Connectivity ComponentConnectivity { get; init; } = Connectivity.Full26;
}

/// <summary>Where the windows go for one volume: padding per axis and window starts in the padded volume.</summary>
/// <param name="Volume">Original volume size.</param>
/// <param name="Padded">Size after zero padding each axis to at least the patch.</param>
/// <param name="PadBefore">Zeros added before the data on each axis (⌊pad/2⌋).</param>
/// <param name="StartsX">Window start indices along X in the padded volume.</param>
/// <param name="StartsY">Window start indices along Y.</param>
/// <param name="StartsZ">Window start indices along Z.</param>
public sealed record SlidingWindowPlan(Shape3 Volume, Shape3 Padded, Shape3 PadBefore,
    IReadOnlyList<int> StartsX, IReadOnlyList<int> StartsY, IReadOnlyList<int> StartsZ)
{
    /// <summary>Total number of windows: product of the per-axis counts.</summary>
    public int WindowCount => StartsX.Count * StartsY.Count * StartsZ.Count;
}

/// <summary>Output of sliding-window inference, cropped back to the input volume.</summary>
/// <param name="Probability">Averaged foreground probability per voxel, same shape and spacing as the input.</param>
/// <param name="Mask">Thresholded (and optionally largest-component) mask, 0/1.</param>
/// <param name="Plan">Padding and window placement used.</param>
public sealed record SlidingWindowResult(Volume<float> Probability, Volume<byte> Mask, SlidingWindowPlan Plan);

/// <summary>
/// Sliding-window inference over a whole volume with any <see cref="IWindowPredictor"/>, as in the
/// official <c>test_3d_patch.test_single_case</c> (docs/method.md §8).
/// </summary>
/// <remarks>
/// Steps: (1) pad every axis shorter than the patch with zeros to the patch size, ⌊pad/2⌋ before and
/// the rest after; (2) along each axis place ⌈(size − patch)/stride⌉ + 1 windows starting at
/// min(stride·i, size − patch), visiting them X-major like the official loops; (3) evaluate windows in
/// batches of up to <see cref="IWindowPredictor.MaxBatch"/>; (4) average the overlapping foreground
/// probabilities (sum / count, or Gaussian-weighted); (5) threshold (p &gt; 0.5); (6) optionally keep
/// the largest component; (7) crop the padding away. Volumes are C order over (X, Y, Z), Z fastest.
/// </remarks>
public static class SlidingWindow
{
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

    /// <summary>Padding and window placement for a volume of size <paramref name="volume"/>.</summary>
    public static SlidingWindowPlan Plan(Shape3 volume, SlidingWindowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Guard.Shape(volume, nameof(volume));
        ValidateOptions(options);
        var padded = new int[3];
        var before = new int[3];
        var starts = new int[3][];
        for (int axis = 0; axis < 3; axis++)
        {
            int pad = Math.Max(options.Patch[axis] - volume[axis], 0);
            before[axis] = pad / 2;
            padded[axis] = volume[axis] + pad;
            starts[axis] = WindowStarts(padded[axis], options.Patch[axis], options.Stride[axis]);
        }
        return new SlidingWindowPlan(volume, Shape3.From(padded), new Shape3(before[0], before[1], before[2]),
            starts[0], starts[1], starts[2]);
    }

    /// <summary>Runs sliding-window inference on an image volume; the result keeps the image's shape and spacing.</summary>
    public static SlidingWindowResult Predict(Volume<float> image, IWindowPredictor predictor, SlidingWindowOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Predict(image.Data, image.Shape, predictor, options, image.Spacing);
    }

    /// <summary>
    /// Runs sliding-window inference on an image of shape <paramref name="shape"/> (C order, Z fastest).
    /// </summary>
    public static SlidingWindowResult Predict(ReadOnlySpan<float> image, Shape3 shape, IWindowPredictor predictor,
        SlidingWindowOptions options, Spacing3? spacing = null)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(options);
        Guard.Shape(shape, nameof(shape));
        Guard.Length(image.Length, shape.Count, $"an image of shape {shape}", nameof(image));
        int maxBatch = predictor.MaxBatch;
        if (maxBatch < 1) throw new ArgumentException($"predictor.MaxBatch must be at least 1, got {maxBatch}", nameof(predictor));

        var plan = Plan(shape, options);
        var patch = options.Patch;
        var padded = plan.Padded;
        var paddedImage = Pad(image, shape, padded, plan.PadBefore);
        var weights = WindowWeights(patch, options.GaussianWeighting);

        var windows = new List<(int X, int Y, int Z)>(plan.WindowCount);
        foreach (int x in plan.StartsX)
            foreach (int y in plan.StartsY)
                foreach (int z in plan.StartsZ)
                    windows.Add((x, y, z));

        int patchVoxels = patch.Count;
        int batchSize = Math.Min(maxBatch, windows.Count);
        var input = new float[batchSize * patchVoxels];
        var output = new float[batchSize * patchVoxels];
        var weightedSum = new double[padded.Count];
        var weightTotal = new double[padded.Count];

        for (int first = 0; first < windows.Count; first += batchSize)
        {
            int count = Math.Min(batchSize, windows.Count - first);
            for (int k = 0; k < count; k++)
                CopyWindow(paddedImage, padded, windows[first + k], patch, input.AsSpan(k * patchVoxels, patchVoxels));
            var foreground = output.AsSpan(0, count * patchVoxels);
            foreground.Fill(float.NaN);   // so an output the predictor forgot to write is caught below
            predictor.Predict(input.AsSpan(0, count * patchVoxels), count, patch, foreground);
            for (int k = 0; k < count; k++)
                Accumulate(foreground.Slice(k * patchVoxels, patchVoxels), weights, windows[first + k], patch, padded, weightedSum, weightTotal);
        }

        // Average, crop the padding away, threshold.
        var probability = new float[shape.Count];
        var mask = new byte[shape.Count];
        var before = plan.PadBefore;
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
            {
                int source = padded.Index(x + before.X, y + before.Y, before.Z);
                int target = shape.Index(x, y, 0);
                for (int z = 0; z < shape.Z; z++)
                {
                    float p = (float)(weightedSum[source + z] / weightTotal[source + z]);
                    probability[target + z] = p;
                    mask[target + z] = p > options.Threshold ? (byte)1 : (byte)0;
                }
            }
        if (options.KeepLargestComponent)
            mask = ConnectedComponents.LargestComponent(mask, shape, options.ComponentConnectivity);

        var voxelSpacing = spacing ?? Spacing3.Unit;
        return new SlidingWindowResult(new Volume<float>(shape, probability, voxelSpacing), new Volume<byte>(shape, mask, voxelSpacing), plan);
    }

    /// <summary>
    /// Per-voxel weight of a window, layout (px, py, pz): all ones, or a separable Gaussian with
    /// σ = patch/8 per axis centred at (patch − 1)/2 and scaled so its largest value is 1.
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

    private static void ValidateOptions(SlidingWindowOptions options)
    {
        if (options.Patch.X < 1 || options.Patch.Y < 1 || options.Patch.Z < 1)
            throw new ArgumentException($"patch sizes must be positive, got {options.Patch}", nameof(options));
        if (options.Stride.X < 1 || options.Stride.Y < 1 || options.Stride.Z < 1)
            throw new ArgumentException($"strides must be positive, got {options.Stride}", nameof(options));
        if (!(options.Threshold >= 0 && options.Threshold <= 1))
            throw new ArgumentException($"threshold must be in [0, 1], got {options.Threshold}", nameof(options));
        if (options.ComponentConnectivity is not (Connectivity.Face6 or Connectivity.Full26))
            throw new ArgumentException($"connectivity must be Face6 or Full26, got {(int)options.ComponentConnectivity}", nameof(options));
    }

    private static float[] Pad(ReadOnlySpan<float> image, Shape3 shape, Shape3 padded, Shape3 before)
    {
        var result = new float[padded.Count];
        for (int x = 0; x < shape.X; x++)
            for (int y = 0; y < shape.Y; y++)
                image.Slice(shape.Index(x, y, 0), shape.Z)
                    .CopyTo(result.AsSpan(padded.Index(x + before.X, y + before.Y, before.Z), shape.Z));
        return result;
    }

    private static void CopyWindow(float[] image, Shape3 shape, (int X, int Y, int Z) start, Shape3 patch, Span<float> window)
    {
        for (int x = 0; x < patch.X; x++)
            for (int y = 0; y < patch.Y; y++)
                image.AsSpan(shape.Index(start.X + x, start.Y + y, start.Z), patch.Z)
                    .CopyTo(window.Slice(patch.Index(x, y, 0), patch.Z));
    }

    private static void Accumulate(ReadOnlySpan<float> foreground, float[] weights, (int X, int Y, int Z) start, Shape3 patch,
        Shape3 shape, double[] weightedSum, double[] weightTotal)
    {
        for (int x = 0; x < patch.X; x++)
            for (int y = 0; y < patch.Y; y++)
            {
                int source = patch.Index(x, y, 0);
                int target = shape.Index(start.X + x, start.Y + y, start.Z);
                for (int z = 0; z < patch.Z; z++)
                {
                    float p = foreground[source + z];
                    if (!float.IsFinite(p))
                        throw new InvalidOperationException($"the window predictor left a non-finite foreground probability ({p}) at window voxel {source + z}");
                    double w = weights[source + z];
                    weightedSum[target + z] += w * p;
                    weightTotal[target + z] += w;
                }
            }
    }
}
