using SasNet.Data.Sampling;
using SasNet.Geometry;
using SasNet.Inference;
using SasNet.Losses;
using SasNet.Method;
using SasNet.Models;
using TorchBinding;
using static TorchBinding.torch;
using F = TorchBinding.torch.nn.functional;

namespace SasNet.Training;

/// <summary>Creates the <see cref="ITrainingMethod"/> of an experiment.</summary>
public static class TrainingMethods
{
    /// <summary>A freshly initialised method (weights seeded from the configuration's seed) on its device.</summary>
    public static ITrainingMethod Create(ExperimentConfig config)
    {
        config.Validate();
        manual_seed((ulong)config.Seed);
        var device = Device.Parse(config.Device);
        return config.Method switch
        {
            TrainingMethod.VNet => new VNetTraining(config, device),
            TrainingMethod.SassNet => new SassNetTraining(config, device),
            _ => new SasNetTraining(config, device),
        };
    }

    // The batch as tensors on the device: images (B, 1, X, Y, Z) float32, labels (B, X, Y, Z) int64.
    internal static (Tensor Images, Tensor Labels) ToTensors(TrainingBatch batch, Device device)
    {
        var images = tensor<float>(batch.Images, batch.ImageTensorShape);
        var labels = tensor<byte>(batch.Labels, batch.LabelTensorShape).to(ScalarType.Int64);
        if (device.Type == DeviceType.CPU) return (images, labels);
        return (images.to(device), labels.to(device));
    }

    internal static optim.SGD Sgd(nn.Module network, ExperimentConfig config) =>
        new(network.parameters(), config.LearningRate, config.Momentum, config.WeightDecay);

    /// <summary>Times consecutive phases of a step; libtorch's CPU ops are synchronous, so wall time per phase is meaningful.</summary>
    internal sealed class PhaseTimer
    {
        private readonly Dictionary<string, double> seconds = [];
        private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();

        public IReadOnlyDictionary<string, double> Seconds => seconds;

        /// <summary>Charges the time since the previous mark to <paramref name="phase"/>.</summary>
        public void Mark(string phase)
        {
            seconds[phase] = seconds.GetValueOrDefault(phase) + clock.Elapsed.TotalSeconds;
            clock.Restart();
        }
    }

    internal static ConsistencySchedule Gamma(ExperimentConfig config) =>
        new(config.GammaMax, RampUpLength: 40, IterationsPerStep: Math.Max(1, config.RampUpIterations / 40), UseRampUp: config.RampUp);
}

/// <summary>V-Net on labeled samples only, Dice loss (the supervised baseline rows).</summary>
internal sealed class VNetTraining : ITrainingMethod
{
    private readonly VNet network;
    private readonly optim.SGD optimizer;
    private readonly ExperimentConfig config;
    private readonly Device device;

    public VNetTraining(ExperimentConfig config, Device device)
    {
        this.config = config;
        this.device = device;
        network = new VNet(config.ModelConfig);
        network.to(device);
        optimizer = TrainingMethods.Sgd(network, config);
    }

    public nn.Module Network => network;
    public IReadOnlyDictionary<string, nn.Module> Modules => new Dictionary<string, nn.Module> { ["model"] = network };
    public IReadOnlyDictionary<string, optim.Optimizer> Optimizers => new Dictionary<string, optim.Optimizer> { ["model"] = optimizer };

    public IReadOnlyDictionary<string, double> Step(TrainingBatch batch, int iteration)
    {
        var timer = new TrainingMethods.PhaseTimer();
        var (images, labels) = TrainingMethods.ToTensors(batch, device);
        var logits = network.forward(images);
        timer.Mark("forward");
        var loss = SegmentationLosses.Supervised(logits, labels, config.SupervisedLoss);
        timer.Mark("losses");
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        double value = loss.ToDouble();
        timer.Mark("backward");
        LastStepTimings = timer.Seconds;
        return new Dictionary<string, double> { ["loss"] = value, ["seg"] = value };
    }

    public IReadOnlyDictionary<string, double> LastStepTimings { get; private set; } = new Dictionary<string, double>();

    public IWindowPredictor CreatePredictor(int maxBatch) => new TorchWindowPredictor(input =>
    {
        using var logits = network.forward(input);
        using var probabilities = F.softmax(logits, 1);
        return probabilities.select(1, 1);
    }, device, maxBatch);

    public IReadOnlyDictionary<string, Tensor> SaveExtraState() => new Dictionary<string, Tensor>();
    public void LoadExtraState(IReadOnlyDictionary<string, Tensor> state) { }

    public void Dispose()
    {
        optimizer.Dispose();
        network.Dispose();
    }
}

/// <summary>
/// SASSNet (SPEC §3): supervised Dice + 0.3·MSE(tanh, GT SDM) on labeled samples, plus w(t)·CE(D(tanh_u, image_u), 1)
/// on unlabeled ones; the discriminator D learns labeled → 1, unlabeled → 0 with Adam (lr 1e-4, betas 0.9/0.99).
/// </summary>
internal sealed class SassNetTraining : ITrainingMethod
{
    private readonly SassNetModel network;
    private readonly SassNetDiscriminator discriminator;
    private readonly optim.SGD optimizer;
    private readonly optim.Adam discriminatorOptimizer;
    private readonly ConsistencySchedule adversarialWeight;
    private readonly Device device;

    public SassNetTraining(ExperimentConfig config, Device device)
    {
        this.device = device;
        network = new SassNetModel(config.ModelConfig);
        discriminator = new SassNetDiscriminator();
        network.to(device);
        discriminator.to(device);
        optimizer = TrainingMethods.Sgd(network, config);
        discriminatorOptimizer = new optim.Adam(discriminator.parameters(), lr: 1e-4, beta1: 0.9, beta2: 0.99);
        adversarialWeight = new ConsistencySchedule(config.AdversarialWeight, 40, Math.Max(1, config.RampUpIterations / 40), config.RampUp);
    }

    public nn.Module Network => network;
    public IReadOnlyDictionary<string, nn.Module> Modules => new Dictionary<string, nn.Module> { ["model"] = network, ["discriminator"] = discriminator };
    // The discriminator keeps its own fixed learning rate: only the segmentation network follows the schedule.
    public IReadOnlyDictionary<string, optim.Optimizer> Optimizers => new Dictionary<string, optim.Optimizer> { ["model"] = optimizer };

    public IReadOnlyDictionary<string, double> Step(TrainingBatch batch, int iteration)
    {
        var timer = new TrainingMethods.PhaseTimer();
        var (images, labels) = TrainingMethods.ToTensors(batch, device);
        int labeled = batch.LabeledCount, total = batch.Count;
        var patch = batch.PatchShape;
        var groundTruthSdm = tensor(SignedDistanceMap.ComputeBatch(batch.Labels.AsSpan(0, labeled * patch.Count), labeled, patch),
            labeled, patch.X, patch.Y, patch.Z).to(device);
        timer.Mark("sdm");

        using var output = network.forward(images);
        timer.Mark("forward");
        var supervised = SassNetLosses.Supervised(output.SegmentationLogits.narrow(0, 0, labeled), output.Tanh.narrow(0, 0, labeled),
            labels.narrow(0, 0, labeled), groundTruthSdm);
        double weight = adversarialWeight.Weight(iteration);
        Tensor loss = supervised;
        double adversarialValue = 0;
        if (total > labeled)
        {
            // The segmentation network is rewarded when D mistakes its unlabeled SDMs for labeled ones.
            discriminator.eval();
            var unlabeledLogits = discriminator.forward(output.Tanh.narrow(0, labeled, total - labeled), images.narrow(0, labeled, total - labeled));
            var adversarial = SassNetLosses.Adversarial(unlabeledLogits);
            adversarialValue = adversarial.ToDouble();
            loss = supervised + adversarial * weight;
        }
        timer.Mark("losses");
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        timer.Mark("backward");

        discriminator.train();
        var dLogits = discriminator.forward(output.Tanh.detach(), images);
        var dLoss = SassNetLosses.DiscriminatorTarget(dLogits, labeled);
        discriminatorOptimizer.zero_grad();
        dLoss.backward();
        discriminatorOptimizer.step();
        timer.Mark("discriminator");
        LastStepTimings = timer.Seconds;

        return new Dictionary<string, double>
        {
            ["loss"] = loss.ToDouble(), ["seg"] = supervised.ToDouble(), ["adv"] = adversarialValue, ["adv_weight"] = weight, ["disc"] = dLoss.ToDouble(),
        };
    }

    public IReadOnlyDictionary<string, double> LastStepTimings { get; private set; } = new Dictionary<string, double>();

    public IWindowPredictor CreatePredictor(int maxBatch) => new TorchWindowPredictor(input =>
    {
        using var output = network.forward(input);
        using var probability = output.SegmentationLogits.sigmoid();
        return probability.select(1, 0);
    }, device, maxBatch);

    public IReadOnlyDictionary<string, Tensor> SaveExtraState()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, value) in discriminatorOptimizer.state_dict()) state[$"discriminator_optimizer.{name}"] = value;
        state["discriminator_optimizer.steps"] = full([], discriminatorOptimizer.StepCount, ScalarType.Int64);
        return state;
    }

    public void LoadExtraState(IReadOnlyDictionary<string, Tensor> state)
    {
        const string prefix = "discriminator_optimizer.";
        var own = state.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(s => s.Key[prefix.Length..], s => s.Value);
        if (own.Count == 0) return;
        discriminatorOptimizer.load_state_dict(own);
        discriminatorOptimizer.RestoreStepCount((long)own["steps"].ToDouble());
    }

    public void Dispose()
    {
        optimizer.Dispose();
        discriminatorOptimizer.Dispose();
        network.Dispose();
        discriminator.Dispose();
    }
}

/// <summary>
/// SASNet (SPEC §2, paper §3): L_semi = β·L_seg + γ(t)·(L_plc + L_src), with the labeled ensemble reweighted by SAR
/// through each patch's crop and view. Each loss and the branches can be switched off for the ablations of Table 4.
/// </summary>
internal sealed class SasNetTraining : ITrainingMethod
{
    private readonly SasNetModel network;
    private readonly optim.SGD optimizer;
    private readonly ScaleAwareReweighting sar;
    private readonly ConsistencySchedule gamma;
    private readonly ExperimentConfig config;
    private readonly Device device;

    public SasNetTraining(ExperimentConfig config, Device device)
    {
        this.config = config;
        this.device = device;
        network = new SasNetModel(config.ModelConfig);
        network.to(device);
        optimizer = TrainingMethods.Sgd(network, config);
        sar = new ScaleAwareReweighting(config.SarMode, config.SarAlpha);
        gamma = TrainingMethods.Gamma(config);
    }

    public nn.Module Network => network;
    public IReadOnlyDictionary<string, nn.Module> Modules => new Dictionary<string, nn.Module> { ["model"] = network };
    public IReadOnlyDictionary<string, optim.Optimizer> Optimizers => new Dictionary<string, optim.Optimizer> { ["model"] = optimizer };

    public IReadOnlyDictionary<string, double> Step(TrainingBatch batch, int iteration)
    {
        var timer = new TrainingMethods.PhaseTimer();
        var (images, labels) = TrainingMethods.ToTensors(batch, device);
        int labeled = batch.LabeledCount;
        using var output = network.forward(images);
        var probabilities = output.Branches.Select(b => F.softmax(b.Logits, 1)).ToArray();
        timer.Mark("forward");
        var parts = new Dictionary<string, double>();
        double g = gamma.Weight(iteration);
        parts["gamma"] = g;

        Tensor? supervised = config.UseSegLoss ? SegmentationLosses.Supervised(output, labels, labeled, config.SupervisedLoss) : null;
        Tensor? crossSupervision = config.UsePlc && probabilities.Length > 1 ? CrossSupervisionLoss.Compute(probabilities, detachPseudoLabels: config.DetachPseudoLabels) : null;
        timer.Mark("losses");
        Tensor? consistency = null;
        if (config.UseSrc)
        {
            // The ensemble (detached) whose thresholded SDM supervises every branch's regression head.
            var ensemble = probabilities.Length == 2
                ? sar.Ensemble(probabilities[0], probabilities[1], labels, config.SarMode == SarMode.None ? Array.Empty<SarPatch>() : Patches(batch))
                : probabilities[0].detach();
            timer.Mark("sar");
            var target = SdmConsistencyLoss.Target(ensemble);
            timer.Mark("sdm");
            var predictions = output.Branches.Select(b => b.SdmPrediction()).ToArray();
            consistency = SdmConsistencyLoss.Compute(target, predictions);
        }
        else if (probabilities.Length == 2 && config.SarMode != SarMode.None)
        {
            // SAR's confidence maps follow the training even when L_src is off, so toggling one ablation keeps the other's state comparable.
            using var _ = sar.Ensemble(probabilities[0], probabilities[1], labels, Patches(batch));
            timer.Mark("sar");
        }

        Tensor loss = zeros([], ScalarType.Float32, device);
        if (supervised is not null) { loss = loss + supervised * config.Beta; parts["seg"] = supervised.ToDouble(); }
        if (crossSupervision is not null) { loss = loss + crossSupervision * g; parts["plc"] = crossSupervision.ToDouble(); }
        if (consistency is not null) { loss = loss + consistency * g; parts["src"] = consistency.ToDouble(); }
        timer.Mark("losses");
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        parts["loss"] = loss.ToDouble();
        timer.Mark("backward");
        LastStepTimings = timer.Seconds;
        return parts;
    }

    // Where each labeled sample came from, for SAR's per-case maps (SPEC §2.2).
    private static IReadOnlyList<SarPatch> Patches(TrainingBatch batch) =>
        batch.Samples.Where(s => s.IsLabeled).Select(SarPatch.FromSample).ToArray();

    public IReadOnlyDictionary<string, double> LastStepTimings { get; private set; } = new Dictionary<string, double>();

    public IWindowPredictor CreatePredictor(int maxBatch) => new TorchWindowPredictor(input =>
    {
        // Average of the branches' softmax foreground (SPEC §2.6).
        using var output = network.forward(input);
        Tensor? sum = null;
        foreach (var branch in output.Branches)
        {
            using var p = F.softmax(branch.Logits, 1);
            var foreground = p.select(1, 1);
            sum = sum is null ? foreground : sum + foreground;
        }
        return sum! / output.Branches.Count;
    }, device, maxBatch);

    public IReadOnlyDictionary<string, Tensor> SaveExtraState()
    {
        using var stream = new MemoryStream();
        sar.Store.Save(stream);
        return new Dictionary<string, Tensor> { ["sar"] = tensor(stream.ToArray()) };
    }

    public void LoadExtraState(IReadOnlyDictionary<string, Tensor> state)
    {
        if (!state.TryGetValue("sar", out var bytes)) return;
        using var stream = new MemoryStream(bytes.ToArray<byte>());
        sar.Store.Load(stream);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        network.Dispose();
    }
}
