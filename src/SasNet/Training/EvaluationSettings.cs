using SasNet.Geometry;

namespace SasNet.Training;

/// <summary>How an experiment is validated during training, which checkpoint stands for it, and how it is tested.</summary>
public sealed record EvaluationSettings
{
    /// <summary>Validate (sliding-window Dice on the validation cases) every this many iterations; 0 = only at the end.</summary>
    public int ValidateEvery { get; init; } = 50;
    /// <summary>Sliding-window stride for validation and testing.</summary>
    public Shape3 Stride { get; init; } = new(16, 16, 8);
    /// <summary>
    /// Before each validation and the final checkpoint, re-estimate batch-norm running statistics as the average over this
    /// many training batches (<see cref="BatchNormRecalibration"/>); 0 keeps PyTorch's running averages, as the
    /// official code. On by default at Quick scale, whose small crops make the running averages unreliable.
    /// </summary>
    public int BatchNormRecalibrationBatches { get; init; }
    /// <summary>Choose the checkpoint with the best validation Dice (otherwise the last one).</summary>
    public bool SelectBestOnValidation { get; init; } = true;

    /// <summary>Adds what is wrong with these settings to <paramref name="problems"/>.</summary>
    public void AddProblems(List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (Stride.X < 1 || Stride.Y < 1 || Stride.Z < 1) problems.Add($"Stride must be positive, got {Stride}");
        if (BatchNormRecalibrationBatches < 0) problems.Add($"BatchNormRecalibrationBatches must not be negative, got {BatchNormRecalibrationBatches}");
        if (ValidateEvery < 0) problems.Add($"ValidateEvery must not be negative, got {ValidateEvery}");
    }
}
