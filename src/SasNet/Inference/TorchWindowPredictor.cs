using SasNet.Geometry;
using static TorchSharp.torch;

namespace SasNet.Inference;

/// <summary>
/// Runs a trained network on sliding windows (<see cref="IWindowPredictor"/>): copies a batch of windows
/// (n, 1, px, py, pz) to the device, applies <see cref="ForegroundOf"/> without gradients in evaluation mode,
/// and copies the (n, px, py, pz) foreground probabilities back.
/// </summary>
public sealed class TorchWindowPredictor : IWindowPredictor
{
    /// <summary>Creates the predictor.</summary>
    /// <param name="foregroundOf">Maps an input batch (n, 1, px, py, pz) to foreground probabilities (n, px, py, pz) in [0, 1].</param>
    /// <param name="device">Where the network lives.</param>
    /// <param name="maxBatch">Windows per forward pass.</param>
    public TorchWindowPredictor(Func<Tensor, Tensor> foregroundOf, Device device, int maxBatch = 2)
    {
        ArgumentNullException.ThrowIfNull(foregroundOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ForegroundOf = foregroundOf;
        Device = device;
        MaxBatch = maxBatch;
    }

    /// <summary>The network's foreground probability function.</summary>
    public Func<Tensor, Tensor> ForegroundOf { get; }

    /// <summary>Device of the network.</summary>
    public Device Device { get; }

    /// <inheritdoc/>
    public int MaxBatch { get; }

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<float> windows, int count, Shape3 patch, Span<float> foreground)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(windows.ToArray(), [count, 1, patch.X, patch.Y, patch.Z]).to(Device);
        var probability = ForegroundOf(input);
        var expected = new long[] { count, patch.X, patch.Y, patch.Z };
        if (!probability.shape.SequenceEqual(expected))
            throw new InvalidOperationException($"the network returned foreground of shape [{string.Join(", ", probability.shape)}], expected [{string.Join(", ", expected)}]");
        probability.to(ScalarType.Float32, CPU).contiguous().data<float>().CopyTo(foreground);
    }
}
