using static TorchSharp.torch;

namespace SasNet.Method;

/// <summary>
/// Temperature sharpening of probabilities, s(p) = p^{1/T} / (p^{1/T} + (1 − p)^{1/T}) (the pseudo-labels of L_plc,
/// paper §3.4.2 and Eq. 15, T = 0.1 in §4.2; docs/method.md §5.2).
/// </summary>
public static class Sharpening
{
    /// <summary>The paper's temperature.</summary>
    public const double DefaultTemperature = 0.1;

    /// <summary>Probabilities are clamped into [ε, 1 − ε] before the logarithms so 0 and 1 stay finite.</summary>
    public const double ClampEpsilon = 1e-7;

    /// <summary>
    /// s(p) element-wise for probabilities of any shape. Computed as sigmoid((log p − log(1 − p)) / T), which is the
    /// same function but cannot underflow to 0/0 for small T (p^{1/T} + (1 − p)^{1/T} does once 0.5^{1/T} underflows).
    /// Differentiable; keeps the input's shape, dtype and device.
    /// </summary>
    public static Tensor Apply(Tensor probabilities, double temperature = DefaultTemperature)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the sharpening temperature must be positive");
        var p = probabilities.clamp(ClampEpsilon, 1 - ClampEpsilon);
        return ((p.log() - (1 - p).log()) / temperature).sigmoid();
    }

    /// <summary>s(p) for one number, in double precision (reference for tests and plots).</summary>
    public static double Apply(double p, double temperature = DefaultTemperature)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the sharpening temperature must be positive");
        p = Math.Clamp(p, ClampEpsilon, 1 - ClampEpsilon);
        double z = (Math.Log(p) - Math.Log(1 - p)) / temperature;
        return 1 / (1 + Math.Exp(-z));
    }
}
