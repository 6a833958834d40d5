namespace SasNet.Training;

/// <summary>How long and with which SGD an experiment trains (paper §4.2: SGD, lr 0.01, momentum 0.9, weight decay 1e-4).</summary>
public sealed record OptimisationSettings
{
    /// <summary>Training iterations.</summary>
    public int Iterations { get; init; } = 200;
    /// <summary>Initial SGD learning rate (0.01).</summary>
    public double LearningRate { get; init; } = 0.01;
    /// <summary>SGD momentum (0.9).</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>SGD weight decay (1e-4).</summary>
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>Multiply the learning rate by 0.1 every this many iterations (SASSNet: 2500); 0 keeps it constant.</summary>
    public int LrDecayEvery { get; init; }

    /// <summary>Adds what is wrong with these settings to <paramref name="problems"/>.</summary>
    public void AddProblems(List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (Iterations < 1) problems.Add($"Iterations must be at least 1, got {Iterations}");
        if (!(LearningRate > 0)) problems.Add($"LearningRate must be positive, got {LearningRate}");
        if (Momentum is < 0 or >= 1) problems.Add($"Momentum must lie in [0, 1), got {Momentum}");
        if (WeightDecay < 0) problems.Add($"WeightDecay must not be negative, got {WeightDecay}");
        if (LrDecayEvery < 0) problems.Add($"LrDecayEvery must not be negative, got {LrDecayEvery}");
    }
}
