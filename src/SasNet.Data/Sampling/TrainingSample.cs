using SasNet.Data.Transforms;
using SasNet.Geometry;

namespace SasNet.Data.Sampling;

/// <summary>
/// Where a patch came from and how it was re-oriented — everything SAR (docs/method.md §3) needs to map a
/// patch-shaped array back into its case: undo <see cref="View"/> with <see cref="ViewToCrop{T}"/>, then
/// patch voxel p (crop orientation, shape <see cref="CropShape"/>) is case voxel p + <see cref="CropOrigin"/>.
/// </summary>
/// <param name="CaseIndex">Index of the case in the training <see cref="Datasets.CaseCollection"/>.</param>
/// <param name="CaseId">Case identifier.</param>
/// <param name="IsLabeled">Whether the case counts as labeled in this experiment.</param>
/// <param name="CaseShape">Shape of the whole case.</param>
/// <param name="CropOrigin">Case coordinates of patch voxel (0, 0, 0) in crop orientation; negative where zero-padded.</param>
/// <param name="CropShape">Patch shape in crop orientation.</param>
/// <param name="RotFlip">SASSNet's RandomRotFlip applied after the crop (identity when off).</param>
/// <param name="View">The VVE view applied after RotFlip.</param>
public sealed record SampleInfo(int CaseIndex, string CaseId, bool IsLabeled, Shape3 CaseShape, (int X, int Y, int Z) CropOrigin,
    Shape3 CropShape, AxisTransform RotFlip, ViewRecord View)
{
    /// <summary>Shape of the final patch (after RotFlip and the view).</summary>
    public Shape3 PatchShape => View.Permutation.OutputShape(RotFlip.OutputShape(CropShape));

    /// <summary>
    /// Maps an array in the final patch orientation (C order over <see cref="PatchShape"/>) back to the crop
    /// orientation (C order over <see cref="CropShape"/>): undoes the view, then the rot/flip.
    /// </summary>
    public T[] ViewToCrop<T>(ReadOnlySpan<T> patchArray) where T : unmanaged
    {
        var beforeView = View.ToOriginal(patchArray, PatchShape);
        return RotFlip.Inverse().Apply<T>(beforeView, RotFlip.OutputShape(CropShape));
    }
}

/// <summary>One training patch: image and label in the final orientation plus its <see cref="SampleInfo"/>.</summary>
/// <param name="Image">Patch image, C order over <see cref="SampleInfo.PatchShape"/>.</param>
/// <param name="Label">Patch label, same layout (all zero and meaningless for unlabeled samples' training use).</param>
/// <param name="Info">Provenance.</param>
public sealed record TrainingSample(float[] Image, byte[] Label, SampleInfo Info);

/// <summary>
/// B samples packed for a network: <see cref="Images"/> is float[B·1·X·Y·Z] in (B, C=1, X, Y, Z) order and
/// <see cref="Labels"/> byte[B·X·Y·Z] in (B, X, Y, Z) order, with (X, Y, Z) = <see cref="PatchShape"/>.
/// Labeled samples come first (docs/method.md §6: 2 labeled + 2 unlabeled by default).
/// </summary>
/// <param name="BatchIndex">0-based position in the training stream (the RNG of the batch derives from it).</param>
/// <param name="Epoch">Labeled-stream epoch the batch belongs to.</param>
/// <param name="PatchShape">Patch shape (X, Y, Z).</param>
/// <param name="Images">(B, 1, X, Y, Z) images.</param>
/// <param name="Labels">(B, X, Y, Z) labels.</param>
/// <param name="Samples">Per-sample provenance, in batch order.</param>
public sealed record TrainingBatch(long BatchIndex, int Epoch, Shape3 PatchShape, float[] Images, byte[] Labels, IReadOnlyList<SampleInfo> Samples)
{
    /// <summary>Batch size B.</summary>
    public int Count => Samples.Count;

    /// <summary>Number of labeled samples (they are the first ones).</summary>
    public int LabeledCount => Samples.Count(s => s.IsLabeled);

    /// <summary>Tensor shape of <see cref="Images"/>: (B, 1, X, Y, Z).</summary>
    public long[] ImageTensorShape => [Count, 1, PatchShape.X, PatchShape.Y, PatchShape.Z];

    /// <summary>Tensor shape of <see cref="Labels"/>: (B, X, Y, Z).</summary>
    public long[] LabelTensorShape => [Count, PatchShape.X, PatchShape.Y, PatchShape.Z];

    /// <summary>Packs samples of equal patch shape.</summary>
    public static TrainingBatch Pack(long batchIndex, int epoch, IReadOnlyList<TrainingSample> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("a batch needs at least one sample", nameof(samples));
        var shape = samples[0].Info.PatchShape;
        int n = shape.Count;
        var images = new float[samples.Count * n];
        var labels = new byte[samples.Count * n];
        for (int i = 0; i < samples.Count; i++)
        {
            if (samples[i].Info.PatchShape != shape)
                throw new InvalidOperationException($"sample {i} has patch shape {samples[i].Info.PatchShape}, sample 0 has {shape}");
            samples[i].Image.CopyTo(images, i * n);
            samples[i].Label.CopyTo(labels, i * n);
        }
        return new TrainingBatch(batchIndex, epoch, shape, images, labels, samples.Select(s => s.Info).ToArray());
    }
}
