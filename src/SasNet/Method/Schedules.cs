namespace SasNet.Method;

/// <summary>Ramp-up functions (Laine &amp; Aila 2017), as the official <c>utils/ramps.py</c>.</summary>
public static class RampUps
{
    /// <summary>
    /// Sigmoid-shaped ramp-up exp(−5 (1 − min(max(t, 0), L)/L)²): 0.0067 at t = 0, 1 from t = L on; 1 when L = 0.
    /// </summary>
    public static double Sigmoid(double current, double length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "the ramp-up length cannot be negative");
        if (length == 0) return 1.0;
        double phase = 1.0 - Math.Clamp(current, 0.0, length) / length;
        return Math.Exp(-5.0 * phase * phase);
    }
}

/// <summary>
/// The consistency weight γ(t) of L_semi = β·L_seg + γ(t)·(L_plc + L_src) (paper §3.4; docs/method.md §5.5;
/// Table 10 varies <see cref="MaxWeight"/> and <see cref="UseRampUp"/>):
/// γ(t) = MaxWeight · sigmoid-ramp-up(t // <see cref="IterationsPerStep"/>, <see cref="RampUpLength"/>), or MaxWeight
/// throughout without ramp-up. As the official code, t is the 1-based number
/// of the iteration being taken (the counter is incremented before the weight is computed), so full weight is
/// reached at iteration 6000 with the defaults. SASSNet's adversarial weight is the same curve with MaxWeight 0.01
/// (16 labeled) or 0.015 (8 labeled).
/// </summary>
/// <param name="MaxWeight">Final weight (γ = 1 for SASNet).</param>
/// <param name="RampUpLength">L, in ramp steps (40).</param>
/// <param name="IterationsPerStep">Iterations per ramp step (150).</param>
/// <param name="UseRampUp">False: constant <see cref="MaxWeight"/> from the first iteration.</param>
public sealed record ConsistencySchedule(double MaxWeight = 1.0, double RampUpLength = 40, int IterationsPerStep = 150, bool UseRampUp = true)
{
    /// <summary>SASSNet's adversarial weight w(t) with c = 0.01 (16 labeled cases) or 0.015 (8 labeled).</summary>
    public static ConsistencySchedule SassNet(int labeledCases) => new(labeledCases <= 8 ? 0.015 : 0.01);

    /// <summary>γ at <paramref name="iteration"/> (1-based).</summary>
    public double Weight(long iteration)
    {
        if (IterationsPerStep < 1) throw new InvalidOperationException($"IterationsPerStep must be at least 1, got {IterationsPerStep}");
        if (!UseRampUp) return MaxWeight;
        return MaxWeight * RampUps.Sigmoid(iteration / IterationsPerStep, RampUpLength);
    }
}

/// <summary>
/// Weights of the SASNet objective L_semi = β·L_seg + γ(t)·(L_plc + L_src) (paper §3.4; docs/method.md §5.5; Table 10: β ∈ {0.5, 1}, γ max ∈ {0.5, 1},
/// with or without ramp-up).
/// </summary>
/// <param name="Beta">β, weight of the supervised loss (0.5).</param>
/// <param name="Gamma">γ(t), weight of the unsupervised losses.</param>
public sealed record LossWeights(double Beta, ConsistencySchedule Gamma)
{
    /// <summary>The paper's setting: β = 0.5, γ ramping up to 1 over 40 × 150 iterations.</summary>
    public static LossWeights Paper { get; } = new(0.5, new ConsistencySchedule());
}

/// <summary>Learning-rate schedules of the baselines.</summary>
public static class LearningRates
{
    /// <summary>
    /// Step decay: the learning rate of the 1-based <paramref name="iteration"/> being taken, base·factor^((iteration − 1) // step).
    /// SASSNet's SGD schedule (0.01, ×0.1 every 2500 iterations) as its official code applies it: after taking iteration
    /// t it sets base·0.1^(t // 2500) when t % 2500 == 0, so iterations 1 … 2500 use the base rate and 2501 … 5000 a tenth of it.
    /// </summary>
    public static double StepDecay(double baseRate, long iteration, long step = 2500, double factor = 0.1)
    {
        if (iteration < 1) throw new ArgumentOutOfRangeException(nameof(iteration), iteration, "iterations are counted from 1");
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "the decay step must be at least 1 iteration");
        return baseRate * Math.Pow(factor, (iteration - 1) / step);
    }
}
