using SasNet.Geometry;

namespace SasNet.Testing;

/// <summary>The three-case metrics table that the metrics and table tests share (one case under the empty-prediction convention).</summary>
internal static class SampleMetrics
{
    /// <summary>Cases 01–03 of "LA test": Dice 0.9 and 0.8, and an empty prediction scored 0.</summary>
    public static MetricsTable Table() => new(
    [
        new CaseMetrics("case-01", 0.9, 0.81, 4.0, 1.5, 1.4),
        new CaseMetrics("case-02", 0.8, 0.7, 6.0, 2.5, 2.6),
        new CaseMetrics("case-03", 0, 0, 0, 0, 0, PredictionEmpty: true),
    ], "LA test");
}
