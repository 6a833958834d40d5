using SasNet.Data.Sampling;
using SasNet.Geometry;
using SasNet.Inference;
using SasNet.Losses;
using SasNet.Method;
using SasNet.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasNet.Training;

/// <summary>Creates the <see cref="ITrainingMethod"/> of an experiment.</summary>
public static class TrainingMethods
{
    /// <summary>A freshly initialised method (weights seeded from the configuration's seed) on its device.</summary>
    public static ITrainingMethod Create(ExperimentConfig config)
    {
        config.Validate();
        manual_seed(config.Seed);
        var device = TorchDevices.Resolve(config.Device);
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
        var images = tensor(batch.Images, batch.ImageTensorShape).to(device);
        var labels = tensor(batch.Labels, batch.LabelTensorShape).to(ScalarType.Int64, device);
        return (images, labels);
    }

    // TorchSharp's positional order is (lr, momentum, dampening, weight_decay): name the arguments.
    internal static SGD Sgd(nn.Module network, ExperimentConfig config) =>
        optim.SGD(network.parameters(), config.Optimisation.LearningRate, momentum: config.Optimisation.Momentum, weight_decay: config.Optimisation.WeightDecay);

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
        new(config.Losses.GammaMax, RampUpLength: 40, IterationsPerStep: Math.Max(1, config.Losses.RampUpIterations / 40), UseRampUp: config.Losses.RampUp);
}

/// <summary>
/// What V-Net and SASNet training share: one segmentation network on its device, trained by SGD with the kit's settings,
/// saved under the prefix "model", and the timings of the last step.
/// </summary>
internal abstract class SingleNetworkTraining<TNetwork> : ITrainingMethod where TNetwork : nn.Module
{
    protected SingleNetworkTraining(ExperimentConfig config, Device device, TNetwork network)
    {
        Config = config;
        Device = device;
        Net = network;
        network.to(device);
        ChannelsLast.ApplyWhereFaster(network, device);
        Optimizer = TrainingMethods.Sgd(network, config);
    }

    protected ExperimentConfig Config { get; }
    protected Device Device { get; }
    protected TNetwork Net { get; }
    protected SGD Optimizer { get; }

    public nn.Module Network => Net;
    public IReadOnlyDictionary<string, nn.Module> Modules => new Dictionary<string, nn.Module> { ["model"] = Net };
    public IReadOnlyDictionary<string, OptimizerHelper> Optimizers => new Dictionary<string, OptimizerHelper> { ["model"] = Optimizer };
    public OptimizerHelper ScheduledOptimizer => Optimizer;
    public IReadOnlyDictionary<string, double> LastStepTimings { get; protected set; } = new Dictionary<string, double>();

    public abstract IReadOnlyDictionary<string, double> Step(TrainingBatch batch, int iteration);

    /// <summary>The network's foreground probability (n, X, Y, Z) for input windows (n, 1, X, Y, Z).</summary>
    protected abstract Tensor Foreground(Tensor input);

    public SlidingWindowPredictor CreatePredictor(int maxBatch) => new(Foreground, Device, maxBatch);

    public virtual IReadOnlyDictionary<string, Tensor> SaveExtraState() => new Dictionary<string, Tensor>();
    public virtual void LoadExtraState(IReadOnlyDictionary<string, Tensor> state) { }

    public void Dispose()
    {
        Optimizer.Dispose();
        Net.Dispose();
    }
}

/// <summary>V-Net on labeled samples only, Dice loss (the supervised baseline rows).</summary>
internal sealed class VNetTraining(ExperimentConfig config, Device device) : SingleNetworkTraining<VNet>(config, device, new VNet(config.Model))
{
    public override IReadOnlyDictionary<string, double> Step(TrainingBatch batch, int iteration)
    {
        var timer = new TrainingMethods.PhaseTimer();
        var (images, labels) = TrainingMethods.ToTensors(batch, Device);
        var logits = Net.call(images);
        timer.Mark("forward");
        var loss = SegmentationLosses.Supervised(logits, labels, Config.Losses.SupervisedLoss);
        timer.Mark("losses");
        Optimizer.zero_grad();
        loss.backward();
        Optimizer.step();
        double value = loss.item<float>();
        timer.Mark("backward");
        LastStepTimings = timer.Seconds;
        return new Dictionary<string, double> { ["loss"] = value, ["seg"] = value };
    }

    protected override Tensor Foreground(Tensor input) => F.softmax(Net.call(input), 1).select(1, 1);
}

/// <summary>
/// SASSNet (docs/method.md §7.2): supervised Dice + 0.3·MSE(tanh, GT SDM) on labeled samples, plus
/// w(t)·CE(D(tanh_u, image_u), 1) on unlabeled ones; the discriminator D learns labeled → 1, unlabeled → 0 with Adam
/// (lr 1e-4, betas 0.9/0.99).
/// </summary>
internal sealed class SassNetTraining : ITrainingMethod
{
    private readonly SassNetModel network;
    private readonly SassNetDiscriminator discriminator;
    private readonly SGD optimizer;
    private readonly Adam discriminatorOptimizer;
    private readonly ConsistencySchedule adversarialWeight;
    private readonly Device device;

    public SassNetTraining(ExperimentConfig config, Device device)
    {
        this.device = device;
        network = new SassNetModel(config.Model);
        discriminator = new SassNetDiscriminator(baseFilters: config.Model.DiscriminatorFilters ?? SassNetDiscriminator.OfficialFilters);
        network.to(device);
        discriminator.to(device);
        ChannelsLast.ApplyWhereFaster(network, device);
        ChannelsLast.ApplyWhereFaster(discriminator, device);
        optimizer = TrainingMethods.Sgd(network, config);
        discriminatorOptimizer = optim.Adam(discriminator.parameters(), lr: 1e-4, beta1: 0.9, beta2: 0.99);
        adversarialWeight = new ConsistencySchedule(config.Losses.AdversarialWeight, 40, Math.Max(1, config.Losses.RampUpIterations / 40), config.Losses.RampUp);
    }

    public nn.Module Network => network;
    public IReadOnlyDictionary<string, nn.Module> Modules => new Dictionary<string, nn.Module> { ["model"] = network, ["discriminator"] = discriminator };
    public IReadOnlyDictionary<string, OptimizerHelper> Optimizers =>
        new Dictionary<string, OptimizerHelper> { ["model"] = optimizer, ["discriminator"] = discriminatorOptimizer };
    // The discriminator keeps its own fixed learning rate: only the segmentation network follows the schedule.
    public OptimizerHelper ScheduledOptimizer => optimizer;

    public IReadOnlyDictionary<string, double> Step(TrainingBatch batch, int iteration)
    {
        var timer = new TrainingMethods.PhaseTimer();
        var (images, labels) = TrainingMethods.ToTensors(batch, device);
        int labeled = batch.LabeledCount, total = batch.Count;
        var patch = batch.PatchShape;
        var groundTruthSdm = tensor(SignedDistanceMap.ComputeBatch(batch.Labels.AsSpan(0, labeled * patch.Count), labeled, patch),
            labeled, patch.X, patch.Y, patch.Z).to(device);
        timer.Mark("sdm");

        var output = network.call(images);
        timer.Mark("forward");
        var supervised = SassNetLosses.Supervised(output.SegmentationLogits.narrow(0, 0, labeled), output.Tanh.narrow(0, 0, labeled),
            labels.narrow(0, 0, labeled), groundTruthSdm);
        double weight = adversarialWeight.Weight(iteration);
        Tensor loss = supervised;
        double adversarialValue = 0;
        // The segmentation network is rewarded when D mistakes its unlabeled SDMs for labeled ones. D's parameters are
        // frozen for this backward (their gradients would be cleared before D's own step anyway), and thawed even when
        // the step fails, so that a caller who catches the error does not go on training a frozen D.
        discriminator.eval();
        SetRequiresGrad(discriminator, false);
        try
        {
            if (total > labeled)
            {
                var unlabeledLogits = discriminator.call(output.Tanh.narrow(0, labeled, total - labeled), images.narrow(0, labeled, total - labeled));
                var adversarial = SassNetLosses.Adversarial(unlabeledLogits);
                adversarialValue = adversarial.item<float>();
                loss = supervised + adversarial * weight;
            }
            timer.Mark("losses");
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            timer.Mark("backward");
        }
        finally
        {
            SetRequiresGrad(discriminator, true);
            discriminator.train();
        }

        var dLogits = discriminator.call(output.Tanh.detach(), images);
        var dLoss = SassNetLosses.DiscriminatorTarget(dLogits, labeled);
        discriminatorOptimizer.zero_grad();
        dLoss.backward();
        discriminatorOptimizer.step();
        timer.Mark("discriminator");
        LastStepTimings = timer.Seconds;

        return new Dictionary<string, double>
        {
            ["loss"] = loss.item<float>(), ["seg"] = supervised.item<float>(), ["adv"] = adversarialValue, ["adv_weight"] = weight, ["disc"] = dLoss.item<float>(),
        };
    }

    public IReadOnlyDictionary<string, double> LastStepTimings { get; private set; } = new Dictionary<string, double>();

    private static void SetRequiresGrad(nn.Module module, bool value)
    {
        foreach (var parameter in module.parameters()) parameter.requires_grad = value;
    }

    public SlidingWindowPredictor CreatePredictor(int maxBatch) => new(input =>
    {
        return network.call(input).SegmentationLogits.sigmoid().select(1, 0);
    }, device, maxBatch);

    public IReadOnlyDictionary<string, Tensor> SaveExtraState() => new Dictionary<string, Tensor>();
    public void LoadExtraState(IReadOnlyDictionary<string, Tensor> state) { }

    public void Dispose()
    {
        optimizer.Dispose();
        discriminatorOptimizer.Dispose();
        network.Dispose();
        discriminator.Dispose();
    }
}

/// <summary>
/// SASNet (paper §3; docs/method.md §2–§5): L_semi = β·L_seg + γ(t)·(L_plc + L_src), with the labeled ensemble
/// reweighted by SAR through each patch's crop and view. Each loss and the branches can be switched off for the
/// ablations of Table 4.
/// </summary>
internal sealed class SasNetTraining : SingleNetworkTraining<SasNetModel>
{
    private readonly ScaleAwareReweighting sar;
    private readonly ConsistencySchedule gamma;

    public SasNetTraining(ExperimentConfig config, Device device) : base(config, device, new SasNetModel(config.Model))
    {
        sar = new ScaleAwareReweighting(config.Losses.SarMode, config.Losses.SarAlpha);
        gamma = TrainingMethods.Gamma(config);
    }

    public override IReadOnlyDictionary<string, double> Step(TrainingBatch batch, int iteration)
    {
        var timer = new TrainingMethods.PhaseTimer();
        var (images, labels) = TrainingMethods.ToTensors(batch, Device);
        int labeled = batch.LabeledCount;
        var output = Net.call(images);
        var probabilities = output.Branches.Select(b => F.softmax(b.Logits, 1)).ToArray();
        timer.Mark("forward");
        var parts = new Dictionary<string, double>();
        double g = gamma.Weight(iteration);
        parts["gamma"] = g;

        Tensor? supervised = Config.Losses.UseSegLoss ? SegmentationLosses.Supervised(output, labels, labeled, Config.Losses.SupervisedLoss) : null;
        Tensor? crossSupervision = Config.Losses.UsePlc && probabilities.Length > 1 ? CrossSupervisionLoss.Compute(probabilities, detachPseudoLabels: Config.Losses.DetachPseudoLabels) : null;
        timer.Mark("losses");
        Tensor? consistency = null;
        if (Config.Losses.UseSrc)
        {
            // The ensemble (detached) whose thresholded SDM supervises every branch's regression head.
            var ensemble = probabilities.Length == 2
                ? sar.Ensemble(probabilities[0], probabilities[1], labels, Config.Losses.SarMode == SarMode.None ? Array.Empty<SarPatch>() : Patches(batch))
                : probabilities[0].detach();
            timer.Mark("sar");
            var target = SdmConsistencyLoss.Target(ensemble);
            timer.Mark("sdm");
            var predictions = output.Branches.Select(b => b.SdmPrediction()).ToArray();
            consistency = SdmConsistencyLoss.Compute(target, predictions);
        }
        else if (probabilities.Length == 2 && Config.Losses.SarMode != SarMode.None)
        {
            // SAR's confidence maps follow the training even when L_src is off, so toggling one ablation keeps the other's state comparable.
            sar.Ensemble(probabilities[0], probabilities[1], labels, Patches(batch));
            timer.Mark("sar");
        }

        Tensor loss = zeros([], ScalarType.Float32, Device);
        if (supervised is not null) { loss = loss + supervised * Config.Losses.Beta; parts["seg"] = supervised.item<float>(); }
        if (crossSupervision is not null) { loss = loss + crossSupervision * g; parts["plc"] = crossSupervision.item<float>(); }
        if (consistency is not null) { loss = loss + consistency * g; parts["src"] = consistency.item<float>(); }
        timer.Mark("losses");
        Optimizer.zero_grad();
        loss.backward();
        Optimizer.step();
        parts["loss"] = loss.item<float>();
        timer.Mark("backward");
        LastStepTimings = timer.Seconds;
        return parts;
    }

    // Where each labeled sample came from, for SAR's per-case maps (docs/method.md §3).
    private static IReadOnlyList<SarPatch> Patches(TrainingBatch batch) =>
        batch.Samples.Where(s => s.IsLabeled).Select(SarPatch.FromSample).ToArray();

    // Average of the branches' softmax foreground (docs/method.md §8).
    protected override Tensor Foreground(Tensor input)
    {
        var output = Net.call(input);
        return output.Branches.Select(b => F.softmax(b.Logits, 1).select(1, 1)).Aggregate((a, b) => a + b) / output.Branches.Count;
    }

    public override IReadOnlyDictionary<string, Tensor> SaveExtraState()
    {
        using var stream = new MemoryStream();
        sar.Store.Save(stream);
        return new Dictionary<string, Tensor> { ["sar"] = tensor(stream.ToArray()) };
    }

    public override void LoadExtraState(IReadOnlyDictionary<string, Tensor> state)
    {
        if (!state.TryGetValue("sar", out var bytes)) return;
        using var stream = new MemoryStream(bytes.data<byte>().ToArray());
        sar.Store.Load(stream);
    }
}
