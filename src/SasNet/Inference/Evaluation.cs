using SasNet.Data.Datasets;
using SasNet.Geometry;

namespace SasNet.Inference;

/// <summary>Predictions and metrics of a model over a set of cases.</summary>
/// <param name="Metrics">Per-case Dice, Jaccard, HD95, ASD (voxels), with mean ± std.</param>
/// <param name="Predictions">Case id → thresholded prediction, when kept.</param>
/// <param name="Probabilities">Case id → foreground probability, when kept.</param>
public sealed record EvaluationResult(MetricsTable Metrics, IReadOnlyDictionary<string, Volume<byte>> Predictions,
    IReadOnlyDictionary<string, Volume<float>> Probabilities);

/// <summary>Sliding-window evaluation of a model on a collection of cases (docs/method.md §8).</summary>
public static class Evaluation
{
    /// <summary>
    /// Predicts every case with <paramref name="predictor"/> and scores it against its label. Distances are in
    /// voxels, as the published LA numbers.
    /// </summary>
    public static EvaluationResult Run(SlidingWindowPredictor predictor, CaseCollection cases, SlidingWindowOptions options, string? title = null,
        bool keepPredictions = false, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(cases);
        var table = new MetricsTable(title ?? $"{cases.Name} ({cases.Count} cases)");
        var predictions = new Dictionary<string, Volume<byte>>();
        var probabilities = new Dictionary<string, Volume<float>>();
        for (int i = 0; i < cases.Count; i++)
        {
            var item = cases.Load(i);
            var result = predictor.Predict(item.Image, options);
            var metrics = SegmentationMetrics.Evaluate(result.Mask, item.Label, useSpacing: false, caseName: item.Id);
            table.Add(metrics);
            progress?.Report($"{item.Id}: Dice {metrics.Dice:F4}");
            if (keepPredictions)
            {
                predictions[item.Id] = result.Mask;
                probabilities[item.Id] = result.Probability;
            }
        }
        return new EvaluationResult(table, predictions, probabilities);
    }
}
