using SasNet.Losses;
using SasNet.Method;

namespace SasNet.Training;

/// <summary>
/// The training objective: which of L_seg, L_plc and L_src are on (Table 4), their weights β and γ with its ramp-up
/// (Eq. 16, Table 10), Scale-aware Adaptive Reweighting (Eqs. 4–8, Tables 6–8), and SASSNet's adversarial weight.
/// </summary>
public sealed record LossSettings
{
    /// <summary>Use the supervised loss L_seg (Table 4).</summary>
    public bool UseSegLoss { get; init; } = true;
    /// <summary>Use the pseudo-label cross supervision L_plc (Table 4).</summary>
    public bool UsePlc { get; init; } = true;
    /// <summary>Use the segmentation–regression consistency L_src with the SDM (Tables 4, 6–8).</summary>
    public bool UseSrc { get; init; } = true;
    /// <summary>
    /// Treat L_plc's sharpened pseudo-labels as constants. False lets gradients flow through them, as the official code
    /// does (see <see cref="CrossSupervisionLoss.Compute"/>).
    /// </summary>
    public bool DetachPseudoLabels { get; init; }
    /// <summary>Supervised loss form.</summary>
    public SupervisedLoss SupervisedLoss { get; init; } = SupervisedLoss.Dice;
    /// <summary>β, weight of L_seg (0.5; Table 10).</summary>
    public double Beta { get; init; } = 0.5;
    /// <summary>Final γ, weight of L_plc + L_src (1.0; Table 10).</summary>
    public double GammaMax { get; init; } = 1.0;
    /// <summary>Ramp γ up with the sigmoid schedule (Table 10); otherwise γ = <see cref="GammaMax"/> from the start.</summary>
    public bool RampUp { get; init; } = true;
    /// <summary>Iterations until γ reaches its full value: 6000 in the paper (40 steps of 150 iterations).</summary>
    public int RampUpIterations { get; init; } = 30;
    /// <summary>Scale-aware Adaptive Reweighting of the labeled ensemble (Tables 6–8): the paper's equations, the official code's indexing, or none.</summary>
    public SarMode SarMode { get; init; } = SarMode.Paper;
    /// <summary>SAR residual coefficient α (0.5; <see cref="ScaleAwareReweighting.IsValidAlpha"/>).</summary>
    public double SarAlpha { get; init; } = ScaleAwareReweighting.DefaultAlpha;
    /// <summary>SASSNet: final weight c of the adversarial loss (0.01 with 16 labeled LA cases, 0.015 with 8).</summary>
    public double AdversarialWeight { get; init; } = 0.01;

    /// <summary>Adds what is wrong with these settings to <paramref name="problems"/>.</summary>
    public void AddProblems(List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (Beta < 0 || GammaMax < 0) problems.Add("Beta and GammaMax must not be negative");
        if (RampUp && RampUpIterations < 1) problems.Add($"RampUpIterations must be at least 1, got {RampUpIterations}");
        if (!ScaleAwareReweighting.IsValidAlpha(SarAlpha)) problems.Add($"SarAlpha must lie in [0, 1], got {SarAlpha}");
        if (AdversarialWeight < 0) problems.Add($"AdversarialWeight must not be negative, got {AdversarialWeight}");
    }
}
