using System.Text.Json;
using System.Text.Json.Nodes;

namespace SasNet.Training;

/// <summary>
/// Where each setting of an <see cref="ExperimentConfig"/> lives, by name: <c>Losses.UsePlc</c>, <c>Data.PatchSize</c>,
/// <c>Model.LowDecoderDepth</c>. Two uses: <c>sasnet train --set</c> takes a path or, where it is unambiguous, the bare
/// name; and a <c>config.json</c> written before the configuration had parts (one flat object, as in older run folders)
/// is read into its parts, the only renamed field being <c>EvaluationStride</c> → <c>Evaluation.Stride</c>.
/// </summary>
public static class ExperimentConfigLayout
{
    // The flat layout's fields and where each lives now.
    private static readonly Dictionary<string, string> FlatFields = new(StringComparer.Ordinal)
    {
        ["Dataset"] = "Data.Dataset", ["DataRoot"] = "Data.DataRoot", ["PhantomTrainCases"] = "Data.PhantomTrainCases",
        ["PhantomTestCases"] = "Data.PhantomTestCases", ["LabeledCount"] = "Data.LabeledCount", ["ValidationCount"] = "Data.ValidationCount",
        ["PatchSize"] = "Data.PatchSize", ["BatchSize"] = "Data.BatchSize", ["LabeledBatchSize"] = "Data.LabeledBatchSize",
        ["ViewVariance"] = "Data.ViewVariance", ["RotationDegrees"] = "Data.RotationDegrees",
        ["BaseFilters"] = "Model.BaseFilters", ["Branches"] = "Model.Branches", ["LowDecoderDepth"] = "Model.LowDecoderDepth",
        ["Upsampling"] = "Model.Upsampling", ["Normalization"] = "Model.Normalization",
        ["Iterations"] = "Optimisation.Iterations", ["LearningRate"] = "Optimisation.LearningRate", ["Momentum"] = "Optimisation.Momentum",
        ["WeightDecay"] = "Optimisation.WeightDecay", ["LrDecayEvery"] = "Optimisation.LrDecayEvery",
        ["UseSegLoss"] = "Losses.UseSegLoss", ["UsePlc"] = "Losses.UsePlc", ["UseSrc"] = "Losses.UseSrc",
        ["DetachPseudoLabels"] = "Losses.DetachPseudoLabels", ["SupervisedLoss"] = "Losses.SupervisedLoss", ["Beta"] = "Losses.Beta",
        ["GammaMax"] = "Losses.GammaMax", ["RampUp"] = "Losses.RampUp", ["RampUpIterations"] = "Losses.RampUpIterations",
        ["SarMode"] = "Losses.SarMode", ["SarAlpha"] = "Losses.SarAlpha", ["AdversarialWeight"] = "Losses.AdversarialWeight",
        ["ValidateEvery"] = "Evaluation.ValidateEvery", ["EvaluationStride"] = "Evaluation.Stride",
        ["BatchNormRecalibrationBatches"] = "Evaluation.BatchNormRecalibrationBatches", ["SelectBestOnValidation"] = "Evaluation.SelectBestOnValidation",
    };

    /// <summary>
    /// The JSON of a configuration in today's layout: <paramref name="json"/> itself, or, when it is a flat configuration
    /// of an older kit, the same settings moved into their parts (the model's other fields from the method's network).
    /// </summary>
    /// <exception cref="JsonException">Not a JSON object.</exception>
    public static string FromFlat(string json)
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("an experiment configuration is a JSON object");
        if (root.ContainsKey("Data") || !root.Any(p => FlatFields.ContainsKey(p.Key))) return json;
        var nested = new JsonObject();
        var method = root["Method"]?.GetValue<string>() ?? nameof(TrainingMethod.SasNet);
        var network = method switch
        {
            nameof(TrainingMethod.VNet) => Models.ModelConfig.VNet,
            nameof(TrainingMethod.SassNet) => Models.ModelConfig.SassNet,
            _ => Models.ModelConfig.SasNet,
        };
        nested["Model"] = JsonNode.Parse(JsonSerializer.Serialize(network, ExperimentConfig.CompactJson));
        foreach (var (key, value) in root.ToList())
        {
            if (!FlatFields.TryGetValue(key, out var path))
            {
                nested[key] = value?.DeepClone();
                continue;
            }
            var (part, field) = Split(path);
            var section = nested[part] as JsonObject ?? (JsonObject)(nested[part] = new JsonObject());
            section[field] = value?.DeepClone();
        }
        return nested.ToJsonString();
    }

    /// <summary>
    /// The path of a setting: <paramref name="name"/> itself when it is a path of <paramref name="configJson"/> (as
    /// <see cref="ExperimentConfig.ToJson"/> writes it), else the one path whose last name it is (ignoring case).
    /// </summary>
    /// <returns>The path with the case the configuration uses, or null; <paramref name="candidates"/> lists every path.</returns>
    public static string? Resolve(string configJson, string name, out IReadOnlyList<string> candidates)
    {
        var root = JsonNode.Parse(configJson)!.AsObject();
        var paths = Leaves(root, "").ToList();
        candidates = paths;
        var exact = paths.FirstOrDefault(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase));
        if (exact is not null) return exact;
        var byLastName = paths.Where(p => string.Equals(p[(p.LastIndexOf('.') + 1)..], name, StringComparison.OrdinalIgnoreCase)).ToList();
        return byLastName.Count == 1 ? byLastName[0] : null;
    }

    // Settings, not parts: a size like {"X":…} is one setting.
    private static IEnumerable<string> Leaves(JsonObject node, string prefix)
    {
        foreach (var (key, value) in node)
        {
            var path = prefix + key;
            if (value is JsonObject child && !child.ContainsKey("X")) foreach (var leaf in Leaves(child, path + ".")) yield return leaf;
            else yield return path;
        }
    }

    private static (string Part, string Field) Split(string path)
    {
        int dot = path.IndexOf('.', StringComparison.Ordinal);
        return (path[..dot], path[(dot + 1)..]);
    }
}
