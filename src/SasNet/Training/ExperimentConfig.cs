using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SasNet.Geometry;
using SasNet.Losses;
using SasNet.Method;
using SasNet.Models;

namespace SasNet.Training;

/// <summary>What is trained: the method of an experiment.</summary>
public enum TrainingMethod
{
    /// <summary>V-Net trained on labeled cases only (Dice loss): the supervised rows of Tables 1–3.</summary>
    VNet,
    /// <summary>SASSNet (MICCAI 2020): V-Net + SDM head with adversarial shape constraint (docs/method.md §7.2).</summary>
    SassNet,
    /// <summary>SASNet (paper §3; docs/method.md §2–§5): dual-branch network, SAR, VVE, L_seg + L_plc + L_src.</summary>
    SasNet,
}

/// <summary>How big an experiment is.</summary>
public enum ExperimentScale
{
    /// <summary>Every code path in seconds: tiny patches and a handful of iterations (what the tests use).</summary>
    Smoke,
    /// <summary>Results that mean something on the built-in phantoms, on 2 CPU cores in minutes.</summary>
    Quick,
    /// <summary>The paper's settings (112×112×80 or 96³ crops, 16 filters, long training): meant for a GPU.</summary>
    Paper,
}

/// <summary>Which data an experiment reads.</summary>
public enum DatasetKind
{
    /// <summary>The built-in MRI-like phantoms, generated on first use (docs/method.md §9).</summary>
    Phantoms,
    /// <summary>2018 Atrial Segmentation Challenge, UA-MT preprocessing.</summary>
    LA,
    /// <summary>NIH Pancreas-CT.</summary>
    Pancreas,
    /// <summary>BraTS 2019, FLAIR, whole tumour.</summary>
    BraTS,
}

/// <summary>View-variance enhancement applied after the crop (paper §3.3, Eqs. 9–11; docs/method.md §4).</summary>
public enum ViewVarianceKind
{
    /// <summary>No view change.</summary>
    None,
    /// <summary>Exact axis permutation of the image and label (fast path, default).</summary>
    Permute,
    /// <summary>Literal FFT → permute spectrum → inverse FFT (equals Permute up to rounding).</summary>
    FourierPermute,
    /// <summary>Paper Eq. (10): rotate the spectrum by <see cref="DataSettings.RotationDegrees"/>.</summary>
    FourierRotate,
}

/// <summary>
/// Everything that determines a training run and its result, in five parts: <see cref="Data"/>, <see cref="Model"/>,
/// <see cref="Optimisation"/>, <see cref="Losses"/> and <see cref="Evaluation"/>, each validated once by its own record,
/// with the rules that tie parts together here. Two runs with equal configurations give the same model (on the CPU with
/// a fixed thread count), so results are cached by <see cref="ContentHash"/>. Start from <see cref="Create"/>, which
/// fills in the scale's defaults, and change a part with <c>with</c>:
/// <code>
/// var noPlc = config with { Losses = config.Losses with { UsePlc = false } };
/// </code>
/// </summary>
public sealed record ExperimentConfig
{
    /// <summary>The method trained.</summary>
    public TrainingMethod Method { get; init; } = TrainingMethod.SasNet;
    /// <summary>The scale the defaults came from (recorded for reports).</summary>
    public ExperimentScale Scale { get; init; } = ExperimentScale.Quick;
    /// <summary>Seed of weights, sampling, augmentation and dropout.</summary>
    public int Seed { get; init; } = 1337;
    /// <summary>"cpu", "cuda" or "cuda:N".</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Dataset, split, crops, batches and view-variance enhancement.</summary>
    public DataSettings Data { get; init; } = new();
    /// <summary>The network (Tables 4, 9, 11): the model library's own configuration.</summary>
    public ModelConfig Model { get; init; } = ModelConfig.SasNet with { BaseFilters = 8 };
    /// <summary>Iterations and SGD.</summary>
    public OptimisationSettings Optimisation { get; init; } = new();
    /// <summary>Loss terms and weights, SAR and SASSNet's adversarial weight.</summary>
    public LossSettings Losses { get; init; } = new();
    /// <summary>Validation, checkpoint selection and sliding-window testing.</summary>
    public EvaluationSettings Evaluation { get; init; } = new();

    /// <summary>
    /// The defaults of a method at a scale. Paper scale follows the paper's §4.2 and the official scripts
    /// (docs/method.md §6, §7: LA crop 112×112×80, 96³ for Pancreas/BraTS, 16 filters); Quick and Smoke shrink crops,
    /// filters and iterations so that the phantoms train on a CPU, and keep the crops of Pancreas and BraTS cubic
    /// (48³ and 32³).
    /// </summary>
    public static ExperimentConfig Create(TrainingMethod method, ExperimentScale scale = ExperimentScale.Quick, DatasetKind dataset = DatasetKind.Phantoms)
    {
        var config = scale switch
        {
            ExperimentScale.Smoke => new ExperimentConfig
            {
                Data = new DataSettings { PhantomTrainCases = 6, PhantomTestCases = 2, LabeledCount = 2, ValidationCount = 1, PatchSize = new Shape3(32, 32, 16) },
                Model = ModelConfig.SasNet with { BaseFilters = 4 },
                Optimisation = new OptimisationSettings { Iterations = 4 },
                Losses = new LossSettings { RampUpIterations = 2 },
                Evaluation = new EvaluationSettings { ValidateEvery = 2, Stride = new Shape3(32, 32, 16) },
            },
            // 400 iterations: on the phantoms the validation Dice of V-Net (labeled only) and of SASNet levels off between
            // iterations 320 and 400 (V-Net 0.894 → 0.895 → 0.896 at 320/400/480, SASNet 0.909 → 0.911 → 0.909); at 200
            // SASNet was still climbing, so a 200-iteration budget compared under-trained runs.
            ExperimentScale.Quick => new ExperimentConfig
            {
                Optimisation = new OptimisationSettings { Iterations = 400 },
                Evaluation = new EvaluationSettings { BatchNormRecalibrationBatches = 16 },
            },
            _ => new ExperimentConfig
            {
                // Phantoms at paper scale mirror LA's 80/20 split, so that 16 labeled + 4 validation leave unlabeled cases.
                Data = new DataSettings { PhantomTrainCases = 80, PhantomTestCases = 20, LabeledCount = 16, ValidationCount = 4, PatchSize = new Shape3(112, 112, 80) },
                Model = ModelConfig.SasNet,
                Optimisation = new OptimisationSettings { Iterations = 40000 },
                Losses = new LossSettings { RampUpIterations = 6000 },
                Evaluation = new EvaluationSettings { ValidateEvery = 1000, Stride = new Shape3(18, 18, 4) },
            },
        };
        config = config with { Method = method, Scale = scale, Data = config.Data with { Dataset = dataset } };
        if (scale == ExperimentScale.Paper && dataset is DatasetKind.Pancreas or DatasetKind.BraTS)
            config = config with
            {
                Data = config.Data with { PatchSize = new Shape3(96, 96, 96), LabeledCount = dataset == DatasetKind.Pancreas ? 12 : 50 },
                Evaluation = config.Evaluation with { Stride = new Shape3(16, 16, 16) },
            };
        else if (dataset is DatasetKind.Pancreas or DatasetKind.BraTS)
        {
            // Their view-variance protocol swaps Z with X or Y, which keeps the crop's shape only when it is a cube.
            var cube = new Shape3(config.Data.PatchSize.X, config.Data.PatchSize.X, config.Data.PatchSize.X);
            config = config with
            {
                Data = config.Data with { PatchSize = cube },
                Evaluation = scale == ExperimentScale.Smoke ? config.Evaluation with { Stride = cube } : config.Evaluation,
            };
        }
        if (method == TrainingMethod.SassNet)
            config = config with
            {
                // SASSNet's own recipe: 6000 iterations at paper scale, lr ×0.1 every 2500, RandomRotFlip, no VVE.
                Optimisation = config.Optimisation with
                {
                    Iterations = scale == ExperimentScale.Paper ? 6000 : config.Optimisation.Iterations,
                    LrDecayEvery = scale == ExperimentScale.Paper ? 2500 : 0,
                },
                Data = config.Data with { ViewVariance = ViewVarianceKind.None },
                // D keeps the official width ratio to the V-Net (64 to 16 filters): at Quick's 8 filters a 64-wide D cost
                // 3× the segmentation network's step (2.06 s per iteration against V-Net's 0.49 s on one core).
                Model = ModelConfig.SassNet with { BaseFilters = config.Model.BaseFilters, DiscriminatorFilters = SassNetDiscriminator.FiltersBeside(config.Model.BaseFilters) },
                // c = 0.015 at 10 % labeled, 0.01 at 20 % (SASSNet's official setting; docs/method.md §7.2).
                Losses = config.Losses with { SarMode = SarMode.None, AdversarialWeight = LabeledFraction(config.Data, scale) <= 0.1 ? 0.015 : 0.01 },
            };
        if (method == TrainingMethod.VNet)
            config = config with
            {
                Data = config.Data with { ViewVariance = ViewVarianceKind.None },
                Model = ModelConfig.VNet with { BaseFilters = config.Model.BaseFilters },
                Losses = config.Losses with { SarMode = SarMode.None, UsePlc = false, UseSrc = false },
            };
        return config;
    }

    private static double LabeledFraction(DataSettings data, ExperimentScale scale)
    {
        int trainCases = data.Dataset switch
        {
            DatasetKind.Phantoms => data.PhantomTrainCases,
            DatasetKind.LA => 80,
            DatasetKind.Pancreas => 62,
            _ => 250,
        };
        return data.LabeledCount / (double)trainCases;
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> listing every invalid setting (not just the first); returns this. Each part
    /// checks its own settings; the rules that tie the method to the data, the model and the losses are here.
    /// </summary>
    public ExperimentConfig Validate()
    {
        var problems = new List<string>();
        if (Data is null || Model is null || Optimisation is null || Losses is null || Evaluation is null)
            throw new ArgumentException("invalid experiment configuration: Data, Model, Optimisation, Losses and Evaluation must all be given");
        Data.AddProblems(problems);
        Optimisation.AddProblems(problems);
        Losses.AddProblems(problems);
        Evaluation.AddProblems(problems);
        try { Model.Validate(); ModelConfig.ValidatePatch(Data.PatchSize); } catch (ArgumentException e) { problems.Add(e.Message); }
        if (TorchDevices.Problem(Device) is { } deviceProblem) problems.Add(deviceProblem);

        if (Method == TrainingMethod.SasNet && Data.LabeledBatchSize == Data.BatchSize)
            problems.Add("SASNet needs unlabeled samples in each batch (LabeledBatchSize < BatchSize)");
        // The two-stream sampler needs a non-empty second stream; V-Net's cycles over the labeled cases (Trainer.CreateSampler).
        if (Method != TrainingMethod.SasNet && Data.LabeledBatchSize == Data.BatchSize)
            problems.Add($"{Method} batches take LabeledBatchSize samples from the labeled epoch and the rest from a second stream: need LabeledBatchSize < BatchSize");
        if (Method == TrainingMethod.VNet && Data.LabeledCount < Data.BatchSize - Data.LabeledBatchSize)
            problems.Add($"V-Net fills each batch with labeled cases: LabeledCount {Data.LabeledCount} is smaller than the {Data.BatchSize - Data.LabeledBatchSize} samples of the second stream");
        if (Data.Dataset == DatasetKind.Phantoms && Data.LabeledCount + Data.ValidationCount >= Data.PhantomTrainCases && Data.LabeledCount <= Data.PhantomTrainCases && Method != TrainingMethod.VNet)
            problems.Add($"{Data.PhantomTrainCases} phantom training cases leave no unlabeled ones after {Data.LabeledCount} labeled and {Data.ValidationCount} validation");
        if (Method == TrainingMethod.SasNet && !Losses.UseSegLoss && !Losses.UsePlc && !Losses.UseSrc) problems.Add("at least one of L_seg, L_plc, L_src must be on");
        if (Method == TrainingMethod.SasNet && Model.Branches != DecoderBranches.Both && (Losses.UsePlc || Losses.SarMode != SarMode.None))
            problems.Add($"with one branch ({Model.Branches}) there is nothing to cross-supervise or reweight: set UsePlc = false and SarMode = None");
        if (Method != TrainingMethod.SasNet && Model.Branches != DecoderBranches.High)
            problems.Add($"{Method} is a V-Net: its Model.Branches must be High, got {Model.Branches}");
        int classes = Method == TrainingMethod.SassNet ? ModelConfig.SassNet.Classes : ModelConfig.SasNet.Classes;
        if (Model.Classes != classes) problems.Add($"{Method} needs Model.Classes = {classes}, got {Model.Classes}");
        if (Method != TrainingMethod.SassNet && Model.DiscriminatorFilters is not null)
            problems.Add($"only SASSNet has a discriminator: leave Model.DiscriminatorFilters unset for {Method}");
        if (Data.ViewVariance == ViewVarianceKind.FourierRotate && Losses.SarMode != SarMode.None)
            problems.Add("SAR carries confidences through exact axis permutations only: with FourierRotate set SarMode = None");
        if (problems.Count > 0) throw new ArgumentException("invalid experiment configuration: " + string.Join("; ", problems));
        return this;
    }

    // Compact, enums by name: the form the content hash is taken of (built once; options are costly to create).
    internal static readonly JsonSerializerOptions CompactJson = new() { Converters = { new JsonStringEnumConverter() } };

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The configuration as indented JSON (enums by name), one object per part.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>
    /// Reads a configuration written by <see cref="ToJson"/>, or by a kit before the configuration had parts (one flat
    /// object, <see cref="ExperimentConfigLayout"/>): such a <c>config.json</c> of an older run folder reads as the
    /// same settings.
    /// </summary>
    /// <exception cref="JsonException">Not a configuration, or a field that no part has (named).</exception>
    public static ExperimentConfig FromJson(string json) =>
        JsonSerializer.Deserialize<ExperimentConfig>(ExperimentConfigLayout.FromFlat(json), JsonOptions) ?? throw new ArgumentException("empty experiment configuration");

    /// <summary>
    /// A short hash of everything that affects the result (device included, since GPU kernels round
    /// differently); equal hashes share one cached run.
    /// </summary>
    public string ContentHash()
    {
        var canonical = JsonSerializer.Serialize(this with { Data = Data with { DataRoot = Data.DataRoot is null ? null : Path.GetFullPath(Data.DataRoot) } },
            CompactJson);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return Convert.ToHexStringLower(digest)[..12];
    }

    /// <summary>A readable name such as "sasnet-quick-phantoms-4lab-1a2b3c4d5e6f".</summary>
    [JsonIgnore]
    public string RunName => $"{Method.ToString().ToLowerInvariant()}-{Scale.ToString().ToLowerInvariant()}-{Data.Dataset.ToString().ToLowerInvariant()}-{Data.LabeledCount}lab-{ContentHash()}";
}
