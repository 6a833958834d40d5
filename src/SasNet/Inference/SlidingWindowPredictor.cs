using SasNet.Geometry;
using static TorchSharp.torch;

namespace SasNet.Inference;

/// <summary>Settings of sliding-window inference (<see cref="SlidingWindowPredictor"/>, docs/method.md §8).</summary>
/// <param name="Patch">Window size (px, py, pz), e.g. 112×112×80 for LA.</param>
/// <param name="Stride">Step between window starts per axis, e.g. 18/18/4 for LA; every entry ≥ 1.</param>
public sealed record SlidingWindowOptions(Shape3 Patch, Shape3 Stride)
{
    /// <summary>LA settings of the official test script: patch 112×112×80, stride 18/18/4.</summary>
    public static SlidingWindowOptions LeftAtrium { get; } = new(new Shape3(112, 112, 80), new Shape3(18, 18, 4));

    /// <summary>Pancreas-CT/BraTS settings of the official test script: patch 96³, stride 16/16/16.</summary>
    public static SlidingWindowOptions Pancreas { get; } = new(new Shape3(96, 96, 96), new Shape3(16, 16, 16));

    /// <summary>
    /// Weight each window's voxels by a Gaussian centred in the window (σ = patch/8 per axis, as in nnU-Net and MONAI;
    /// <see cref="SlidingWindowPlan.WindowWeights"/>) instead of uniformly. Off by default: the official evaluation
    /// averages overlapping windows uniformly.
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

/// <summary>Output of sliding-window inference, cropped back to the input volume.</summary>
/// <param name="Probability">Averaged foreground probability per voxel, same shape and spacing as the input.</param>
/// <param name="Mask">Thresholded (and optionally largest-component) mask, 0/1.</param>
/// <param name="Plan">Padding and window placement used.</param>
public sealed record SlidingWindowResult(Volume<float> Probability, Volume<byte> Mask, SlidingWindowPlan Plan);

/// <summary>
/// Sliding-window inference of a network over a whole volume, as the official <c>test_3d_patch.test_single_case</c>
/// (docs/method.md §8) and in the manner of MONAI's <c>sliding_window_inference</c>: the padded image, the weighted sum
/// of the windows' probabilities and the sum of their weights all live on the network's device as tensors.
/// </summary>
/// <remarks>
/// Steps: (1) copy the image to the device and zero-pad every axis shorter than the patch to the patch size, ⌊pad/2⌋
/// before and the rest after; (2) place the windows of <see cref="SlidingWindowPlan"/> (⌈(size − patch)/stride⌉ + 1
/// per axis, starting at min(stride·i, size − patch), X-major like the official loops); (3) slice up to
/// <see cref="MaxBatch"/> windows from the padded image, stack them into a batch (n, 1, px, py, pz) and run
/// <see cref="ForegroundOf"/> on it, one dispose scope per batch; (4) add each window's weighted probabilities and its
/// weights into the (X', Y', Z') sums on the device (float64, uniform or Gaussian weights); (5) divide, crop the padding
/// away and copy the probabilities to the CPU once; (6) threshold (p &gt; 0.5) and optionally keep the largest component
/// (<see cref="ConnectedComponents"/>). Volumes are C order over (X, Y, Z), Z fastest. Runs without gradients; the
/// caller puts the network in evaluation mode.
/// </remarks>
public sealed class SlidingWindowPredictor
{
    /// <summary>Creates the predictor.</summary>
    /// <param name="foregroundOf">Maps a batch of windows (n, 1, px, py, pz) on <paramref name="device"/> to foreground
    /// probabilities (n, px, py, pz) in [0, 1]: SASNet averages its branches' softmax foreground (docs/method.md §8).</param>
    /// <param name="device">Where the network lives; the image and the sums are kept there.</param>
    /// <param name="maxBatch">Windows per forward pass, at least 1.</param>
    public SlidingWindowPredictor(Func<Tensor, Tensor> foregroundOf, Device device, int maxBatch = 2)
    {
        ArgumentNullException.ThrowIfNull(foregroundOf);
        ArgumentNullException.ThrowIfNull(device);
        if (maxBatch < 1) throw new ArgumentException($"MaxBatch must be at least 1, got {maxBatch}", nameof(maxBatch));
        ForegroundOf = foregroundOf;
        Device = device;
        MaxBatch = maxBatch;
    }

    /// <summary>The network's foreground probability: windows (n, 1, px, py, pz) → (n, px, py, pz).</summary>
    public Func<Tensor, Tensor> ForegroundOf { get; }

    /// <summary>Device of the network.</summary>
    public Device Device { get; }

    /// <summary>Largest number of windows per forward pass. Above 1, a batch is never a single window on the CPU (a lone
    /// last window runs beside a copy of itself: libtorch's one-sample CPU convolutions are much slower).</summary>
    public int MaxBatch { get; }

    /// <summary>Runs sliding-window inference on an image volume; the result keeps the image's shape and spacing.</summary>
    public SlidingWindowResult Predict(Volume<float> image, SlidingWindowOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Predict(image.Data, image.Shape, options, image.Spacing);
    }

    /// <summary>Runs sliding-window inference on an image of shape <paramref name="shape"/> (C order, Z fastest).</summary>
    public SlidingWindowResult Predict(ReadOnlySpan<float> image, Shape3 shape, SlidingWindowOptions options, Spacing3? spacing = null) =>
        Predict(image.ToArray(), shape, options, spacing);

    private SlidingWindowResult Predict(float[] image, Shape3 shape, SlidingWindowOptions options, Spacing3? spacing)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (shape.X < 1 || shape.Y < 1 || shape.Z < 1)
            throw new ArgumentException($"shape sizes must be positive, got {shape}", nameof(shape));
        if (image.Length != shape.Count)
            throw new ArgumentException($"an image of shape {shape} needs {shape.Count} values, got {image.Length}", nameof(image));
        if (!(options.Threshold >= 0 && options.Threshold <= 1))
            throw new ArgumentException($"threshold must be in [0, 1], got {options.Threshold}", nameof(options));
        if (options.ComponentConnectivity is not (Connectivity.Face6 or Connectivity.Full26))
            throw new ArgumentException($"connectivity must be Face6 or Full26, got {(int)options.ComponentConnectivity}", nameof(options));
        var plan = SlidingWindowPlan.Create(shape, options.Patch, options.Stride);
        var patch = plan.Patch;
        var starts = plan.Starts();

        float[] probability;
        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
        {
            // (X', Y', Z'): the image on the device inside its zero padding.
            var padded = zeros([plan.Padded.X, plan.Padded.Y, plan.Padded.Z], ScalarType.Float32, Device);
            Region(padded, plan.PadBefore, shape).copy_(tensor(image, [shape.X, shape.Y, shape.Z]).to(Device));
            // (px, py, pz): each window's voxel weights; the sums (X', Y', Z') in float64, like the former CPU loop.
            var weights = tensor(SlidingWindowPlan.WindowWeights(patch, options.GaussianWeighting), [patch.X, patch.Y, patch.Z])
                .to(ScalarType.Float64, Device);
            var weightedSum = zeros([plan.Padded.X, plan.Padded.Y, plan.Padded.Z], ScalarType.Float64, Device);
            var weightTotal = zeros([plan.Padded.X, plan.Padded.Y, plan.Padded.Z], ScalarType.Float64, Device);

            for (int first = 0; first < starts.Count; first += MaxBatch)
            {
                int count = Math.Min(MaxBatch, starts.Count - first);
                using var batchScope = NewDisposeScope();
                var regions = Enumerable.Range(first, count).Select(k => Region(padded, starts[k], patch)).ToList();
                // libtorch runs a one-sample batch of small 3-D crops with its native convolutions instead of oneDNN's (it
                // takes oneDNN for batches above one, or once N·C·D·H exceeds 20,480): one at a time, a Quick SASNet's
                // windows took 3.5× as long each. A lone window therefore runs beside a copy of itself, whose output is dropped.
                bool paired = count == 1 && MaxBatch > 1 && Device.type == TorchSharp.DeviceType.CPU;
                if (paired) regions.Add(regions[0]);
                var windows = stack(regions).unsqueeze(1);
                var foreground = ForegroundOf(windows);
                if (paired) foreground = foreground.narrow(0, 0, 1);
                long[] expected = [count, patch.X, patch.Y, patch.Z];
                if (!foreground.shape.SequenceEqual(expected))
                    throw new InvalidOperationException($"the network returned foreground of shape [{string.Join(", ", foreground.shape)}], expected [{string.Join(", ", expected)}]");
                var weighted = foreground.to_type(ScalarType.Float64) * weights;   // (n, px, py, pz)
                for (int k = 0; k < count; k++)
                {
                    Region(weightedSum, starts[first + k], patch).add_(weighted[k]);
                    Region(weightTotal, starts[first + k], patch).add_(weights);
                }
            }

            // A non-finite probability anywhere (padding included) makes its sum non-finite.
            if (!weightedSum.isfinite().all().item<bool>())
                throw new InvalidOperationException("the network gave a non-finite foreground probability for some window voxel");
            var average = Region(weightedSum, plan.PadBefore, shape) / Region(weightTotal, plan.PadBefore, shape);
            probability = average.to(ScalarType.Float32, CPU).contiguous().data<float>().ToArray();
        }

        var mask = new byte[shape.Count];
        for (int i = 0; i < mask.Length; i++) mask[i] = probability[i] > options.Threshold ? (byte)1 : (byte)0;
        if (options.KeepLargestComponent)
            mask = ConnectedComponents.LargestComponent(mask, shape, options.ComponentConnectivity);
        var voxelSpacing = spacing ?? Spacing3.Unit;
        return new SlidingWindowResult(new Volume<float>(shape, probability, voxelSpacing), new Volume<byte>(shape, mask, voxelSpacing), plan);
    }

    // The view of volume (X, Y, Z) covering size voxels from start: [x, x + sx) × [y, y + sy) × [z, z + sz).
    private static Tensor Region(Tensor volume, (int X, int Y, int Z) start, Shape3 size) =>
        volume[TensorIndex.Slice(start.X, start.X + size.X), TensorIndex.Slice(start.Y, start.Y + size.Y), TensorIndex.Slice(start.Z, start.Z + size.Z)];

    private static Tensor Region(Tensor volume, Shape3 start, Shape3 size) => Region(volume, (start.X, start.Y, start.Z), size);
}
