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
    /// <summary>Paper Eq. (10): rotate the spectrum by <see cref="ExperimentConfig.RotationDegrees"/>.</summary>
    FourierRotate,
}

/// <summary>
/// Everything that determines a training run and its result. Two runs with equal configurations
/// give the same model (on the CPU with a fixed thread count), so results are cached by
/// <see cref="ContentHash"/>. Start from <see cref="Create"/>, which fills in the scale's defaults, and
/// change fields with <c>with { … }</c>.
/// </summary>
public sealed record ExperimentConfig
{
    /// <summary>The method trained.</summary>
    public TrainingMethod Method { get; init; } = TrainingMethod.SasNet;
    /// <summary>The scale the defaults came from (recorded for reports).</summary>
    public ExperimentScale Scale { get; init; } = ExperimentScale.Quick;
    /// <summary>The dataset.</summary>
    public DatasetKind Dataset { get; init; } = DatasetKind.Phantoms;
    /// <summary>Root folder of a real dataset; ignored for phantoms (they live in the cache).</summary>
    public string? DataRoot { get; init; }
    /// <summary>Number of phantom training cases (the first <see cref="LabeledCount"/> are labeled).</summary>
    public int PhantomTrainCases { get; init; } = 20;
    /// <summary>Number of phantom test cases.</summary>
    public int PhantomTestCases { get; init; } = 8;
    /// <summary>Labeled training cases (the first ones of the training list, as the official code).</summary>
    public int LabeledCount { get; init; } = 4;
    /// <summary>Validation cases carved from the unlabeled part of the training list (for model selection).</summary>
    public int ValidationCount { get; init; } = 2;
    /// <summary>Seed of weights, sampling, augmentation and dropout.</summary>
    public int Seed { get; init; } = 1337;
    /// <summary>Training iterations.</summary>
    public int Iterations { get; init; } = 200;
    /// <summary>Random crop size (X, Y, Z), each a multiple of 16.</summary>
    public Shape3 PatchSize { get; init; } = new(48, 48, 32);
    /// <summary>Samples per batch (labeled first).</summary>
    public int BatchSize { get; init; } = 4;
    /// <summary>Labeled samples per batch.</summary>
    public int LabeledBatchSize { get; init; } = 2;
    /// <summary>Channels of the first encoder stage (16 in the paper).</summary>
    public int BaseFilters { get; init; } = 8;
    /// <summary>Initial SGD learning rate (0.01).</summary>
    public double LearningRate { get; init; } = 0.01;
    /// <summary>SGD momentum (0.9).</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>SGD weight decay (1e-4).</summary>
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>Multiply the learning rate by 0.1 every this many iterations (SASSNet: 2500); 0 keeps it constant.</summary>
    public int LrDecayEvery { get; init; }

    /// <summary>Decoders of SASNet (Table 4).</summary>
    public DecoderBranches Branches { get; init; } = DecoderBranches.Both;
    /// <summary>Levels of the low-level decoder, 4 or 3 (Table 9).</summary>
    public int LowDecoderDepth { get; init; } = 4;
    /// <summary>Up-sampling of the decoders.</summary>
    public UpsamplingMode Upsampling { get; init; } = UpsamplingMode.TransposedConv;
    /// <summary>Normalisation layers.</summary>
    public NormalizationKind Normalization { get; init; } = NormalizationKind.Batch;

    /// <summary>Use the supervised loss L_seg (Table 4).</summary>
    public bool UseSegLoss { get; init; } = true;
    /// <summary>Use the pseudo-label cross supervision L_plc (Table 4).</summary>
    public bool UsePlc { get; init; } = true;
    /// <summary>Use the segmentation–regression consistency L_src with the SDM (Tables 4, 6–8).</summary>
    public bool UseSrc { get; init; } = true;
    /// <summary>
    /// Treat L_plc's sharpened pseudo-labels as constants. False lets gradients flow through them, as the official code
    /// does (see <see cref="Losses.CrossSupervisionLoss.Compute"/>).
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
    /// <summary>SAR residual coefficient α (0.5).</summary>
    public double SarAlpha { get; init; } = 0.5;

    /// <summary>View-variance enhancement (Table 5).</summary>
    public ViewVarianceKind ViewVariance { get; init; } = ViewVarianceKind.Permute;
    /// <summary>Spectrum rotation angle for <see cref="ViewVarianceKind.FourierRotate"/>.</summary>
    public double RotationDegrees { get; init; } = 15;

    /// <summary>SASSNet: final weight c of the adversarial loss (0.01 with 16 labeled LA cases, 0.015 with 8).</summary>
    public double AdversarialWeight { get; init; } = 0.01;

    /// <summary>Validate (sliding-window Dice on the validation cases) every this many iterations; 0 = only at the end.</summary>
    public int ValidateEvery { get; init; } = 50;
    /// <summary>Sliding-window stride for validation and testing.</summary>
    public Shape3 EvaluationStride { get; init; } = new(16, 16, 8);
    /// <summary>
    /// Before each validation and the final checkpoint, re-estimate batch-norm running statistics as the average over this
    /// many training batches (<see cref="BatchNormRecalibration"/>); 0 keeps PyTorch's running averages, as the
    /// official code. On by default at Quick scale, whose small crops make the running averages unreliable.
    /// </summary>
    public int BatchNormRecalibrationBatches { get; init; }
    /// <summary>Choose the checkpoint with the best validation Dice (otherwise the last one).</summary>
    public bool SelectBestOnValidation { get; init; } = true;

    /// <summary>"cpu", "cuda" or "cuda:N".</summary>
    public string Device { get; init; } = "cpu";

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
                PhantomTrainCases = 6, PhantomTestCases = 2, LabeledCount = 2, ValidationCount = 1, Iterations = 4,
                PatchSize = new Shape3(32, 32, 16), BaseFilters = 4, ValidateEvery = 2, RampUpIterations = 2,
                EvaluationStride = new Shape3(32, 32, 16),
            },
            // 400 iterations: on the phantoms the validation Dice of V-Net (labeled only) and of SASNet levels off between
            // iterations 320 and 400 (V-Net 0.894 → 0.895 → 0.896 at 320/400/480, SASNet 0.909 → 0.911 → 0.909); at 200
            // SASNet was still climbing, so a 200-iteration budget compared under-trained runs.
            ExperimentScale.Quick => new ExperimentConfig { Iterations = 400, BatchNormRecalibrationBatches = 16 },
            _ => new ExperimentConfig
            {
                // Phantoms at paper scale mirror LA's 80/20 split, so that 16 labeled + 4 validation leave unlabeled cases.
                PhantomTrainCases = 80, PhantomTestCases = 20,
                LabeledCount = 16, ValidationCount = 4, Iterations = 40000, PatchSize = new Shape3(112, 112, 80), BaseFilters = 16,
                RampUpIterations = 6000, ValidateEvery = 1000, EvaluationStride = new Shape3(18, 18, 4),
            },
        };
        config = config with { Method = method, Scale = scale, Dataset = dataset };
        if (scale == ExperimentScale.Paper && dataset is DatasetKind.Pancreas or DatasetKind.BraTS)
            config = config with
            {
                PatchSize = new Shape3(96, 96, 96),
                EvaluationStride = new Shape3(16, 16, 16),
                LabeledCount = dataset == DatasetKind.Pancreas ? 12 : 50,
            };
        else if (dataset is DatasetKind.Pancreas or DatasetKind.BraTS)
        {
            // Their view-variance protocol swaps Z with X or Y, which keeps the crop's shape only when it is a cube.
            var cube = new Shape3(config.PatchSize.X, config.PatchSize.X, config.PatchSize.X);
            config = config with { PatchSize = cube, EvaluationStride = scale == ExperimentScale.Smoke ? cube : config.EvaluationStride };
        }
        if (method == TrainingMethod.SassNet)
            config = config with
            {
                // SASSNet's own recipe: 6000 iterations at paper scale, lr ×0.1 every 2500, RandomRotFlip, no VVE.
                Iterations = scale == ExperimentScale.Paper ? 6000 : config.Iterations,
                LrDecayEvery = scale == ExperimentScale.Paper ? 2500 : 0,
                ViewVariance = ViewVarianceKind.None,
                SarMode = SarMode.None,
                // c = 0.015 at 10 % labeled, 0.01 at 20 % (SASSNet's official setting; docs/method.md §7.2).
                AdversarialWeight = LabeledFraction(config, scale, dataset) <= 0.1 ? 0.015 : 0.01,
            };
        if (method == TrainingMethod.VNet)
            config = config with { ViewVariance = ViewVarianceKind.None, SarMode = SarMode.None, UsePlc = false, UseSrc = false, Branches = DecoderBranches.High };
        return config;
    }

    private static double LabeledFraction(ExperimentConfig config, ExperimentScale scale, DatasetKind dataset)
    {
        int trainCases = dataset switch
        {
            DatasetKind.Phantoms => config.PhantomTrainCases,
            DatasetKind.LA => 80,
            DatasetKind.Pancreas => 62,
            _ => 250,
        };
        return config.LabeledCount / (double)trainCases;
    }

    /// <summary>The model architecture this experiment trains (derived, so not serialised).</summary>
    [JsonIgnore]
    public ModelConfig ModelConfig => Method switch
    {
        TrainingMethod.SassNet => ModelConfig.SassNet with { BaseFilters = BaseFilters, Normalization = Normalization, Upsampling = Upsampling },
        TrainingMethod.VNet => ModelConfig.VNet with { BaseFilters = BaseFilters, Normalization = Normalization, Upsampling = Upsampling },
        _ => new ModelConfig(BaseFilters: BaseFilters, Normalization: Normalization, Branches: Branches, LowDecoderDepth: LowDecoderDepth, Upsampling: Upsampling),
    };

    /// <summary>
    /// Throws <see cref="ArgumentException"/> listing every invalid setting (not just the first); returns this.
    /// </summary>
    public ExperimentConfig Validate()
    {
        var problems = new List<string>();
        if (Iterations < 1) problems.Add($"Iterations must be at least 1, got {Iterations}");
        if (LabeledCount < 1) problems.Add($"LabeledCount must be at least 1, got {LabeledCount}");
        if (ValidationCount < 0) problems.Add($"ValidationCount must not be negative, got {ValidationCount}");
        if (BatchSize < 1 || LabeledBatchSize < 1 || LabeledBatchSize > BatchSize)
            problems.Add($"need 1 ≤ LabeledBatchSize ≤ BatchSize, got {LabeledBatchSize} and {BatchSize}");
        if (Method == TrainingMethod.SasNet && LabeledBatchSize == BatchSize)
            problems.Add("SASNet needs unlabeled samples in each batch (LabeledBatchSize < BatchSize)");
        // The two-stream sampler needs a non-empty second stream; V-Net's cycles over the labeled cases (Trainer.CreateSampler).
        if (Method != TrainingMethod.SasNet && LabeledBatchSize == BatchSize)
            problems.Add($"{Method} batches take LabeledBatchSize samples from the labeled epoch and the rest from a second stream: need LabeledBatchSize < BatchSize");
        if (Method == TrainingMethod.VNet && LabeledCount < BatchSize - LabeledBatchSize)
            problems.Add($"V-Net fills each batch with labeled cases: LabeledCount {LabeledCount} is smaller than the {BatchSize - LabeledBatchSize} samples of the second stream");
        if (LabeledCount < LabeledBatchSize) problems.Add($"LabeledCount {LabeledCount} is smaller than LabeledBatchSize {LabeledBatchSize}");
        if (Dataset == DatasetKind.Phantoms && LabeledCount > PhantomTrainCases)
            problems.Add($"LabeledCount {LabeledCount} exceeds the {PhantomTrainCases} phantom training cases");
        else if (Dataset == DatasetKind.Phantoms && LabeledCount + ValidationCount >= PhantomTrainCases && Method != TrainingMethod.VNet)
            problems.Add($"{PhantomTrainCases} phantom training cases leave no unlabeled ones after {LabeledCount} labeled and {ValidationCount} validation");
        if (Dataset == DatasetKind.Phantoms && PhantomTestCases < 1) problems.Add("PhantomTestCases must be at least 1");
        if (Dataset != DatasetKind.Phantoms && string.IsNullOrWhiteSpace(DataRoot)) problems.Add($"the {Dataset} dataset needs DataRoot (the folder that holds it)");
        if (!(LearningRate > 0)) problems.Add($"LearningRate must be positive, got {LearningRate}");
        if (Beta < 0 || GammaMax < 0) problems.Add("Beta and GammaMax must not be negative");
        if (RampUp && RampUpIterations < 1) problems.Add($"RampUpIterations must be at least 1, got {RampUpIterations}");
        if (!ScaleAwareReweighting.IsValidAlpha(SarAlpha)) problems.Add($"SarAlpha must lie in [0, 1], got {SarAlpha}");
        if (Method == TrainingMethod.SasNet && !UseSegLoss && !UsePlc && !UseSrc) problems.Add("at least one of L_seg, L_plc, L_src must be on");
        if (Method == TrainingMethod.SasNet && Branches != DecoderBranches.Both && (UsePlc || SarMode != SarMode.None))
            problems.Add($"with one branch ({Branches}) there is nothing to cross-supervise or reweight: set UsePlc = false and SarMode = None");
        if (ViewVariance == ViewVarianceKind.FourierRotate && SarMode != SarMode.None)
            problems.Add("SAR carries confidences through exact axis permutations only: with FourierRotate set SarMode = None");
        if (EvaluationStride.X < 1 || EvaluationStride.Y < 1 || EvaluationStride.Z < 1) problems.Add($"EvaluationStride must be positive, got {EvaluationStride}");
        if (BatchNormRecalibrationBatches < 0) problems.Add($"BatchNormRecalibrationBatches must not be negative, got {BatchNormRecalibrationBatches}");
        if (ValidateEvery < 0) problems.Add($"ValidateEvery must not be negative, got {ValidateEvery}");
        if (TorchDevices.Problem(Device) is { } deviceProblem) problems.Add(deviceProblem);
        try { ModelConfig.Validate(); ModelConfig.ValidatePatch(PatchSize); } catch (ArgumentException e) { problems.Add(e.Message); }
        if (problems.Count > 0) throw new ArgumentException("invalid experiment configuration: " + string.Join("; ", problems));
        return this;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The configuration as indented JSON (enums by name).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a configuration written by <see cref="ToJson"/>.</summary>
    public static ExperimentConfig FromJson(string json) =>
        JsonSerializer.Deserialize<ExperimentConfig>(json, JsonOptions) ?? throw new ArgumentException("empty experiment configuration");

    /// <summary>
    /// A short hash of everything that affects the result (device included, since GPU kernels round
    /// differently); equal hashes share one cached run.
    /// </summary>
    public string ContentHash()
    {
        var canonical = JsonSerializer.Serialize(this with { DataRoot = DataRoot is null ? null : Path.GetFullPath(DataRoot) },
            new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } });
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return Convert.ToHexStringLower(digest)[..12];
    }

    /// <summary>A readable name such as "sasnet-quick-phantoms-4lab-1a2b3c4d5e6f".</summary>
    [JsonIgnore]
    public string RunName => $"{Method.ToString().ToLowerInvariant()}-{Scale.ToString().ToLowerInvariant()}-{Dataset.ToString().ToLowerInvariant()}-{LabeledCount}lab-{ContentHash()}";
}
