namespace SasNet.Geometry;

/// <summary>
/// Something that maps image windows to foreground probabilities, e.g. a trained network (the model
/// layer implements it with the SASNet model, averaging the two branches' softmax foreground
/// probabilities, docs/method.md §8). Used by <see cref="SlidingWindow"/>.
/// </summary>
public interface IWindowPredictor
{
    /// <summary>Largest number of windows <see cref="Predict"/> accepts in one call (at least 1).</summary>
    int MaxBatch { get; }

    /// <summary>
    /// Predicts the foreground probability of every voxel of <paramref name="count"/> windows.
    /// </summary>
    /// <param name="windows">Input windows, layout (count, 1, px, py, pz) in C order (one channel; Z fastest),
    /// i.e. window k starts at k·px·py·pz.</param>
    /// <param name="count">Number of windows, 1 ≤ count ≤ <see cref="MaxBatch"/>.</param>
    /// <param name="patch">Window size (px, py, pz).</param>
    /// <param name="foreground">Output, layout (count, px, py, pz): the probability of foreground in [0, 1]
    /// for each voxel of each window. Every value must be written.</param>
    void Predict(ReadOnlySpan<float> windows, int count, Shape3 patch, Span<float> foreground);
}
