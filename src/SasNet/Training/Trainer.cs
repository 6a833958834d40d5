using SasNet.IO;
using System.Diagnostics;
using System.Globalization;
using SasNet.Data.Datasets;
using SasNet.Data.Sampling;
using SasNet.Geometry;
using SasNet.Inference;
using SasNet.Method;
using SasNet.Checkpoints;
using TorchSharp;

using static TorchSharp.torch;

namespace SasNet.Training;

/// <summary>Where a trainer writes, how often, and how it reports.</summary>
/// <param name="RunFolder">Folder of the run: checkpoints, history, configuration.</param>
/// <param name="CheckpointEvery">Write a resumable checkpoint every this many iterations (0: only at the end).</param>
/// <param name="Progress">Progress reporter.</param>
/// <param name="Prefetch">Batches the loader prepares ahead (0: synchronous loading).</param>
/// <param name="Resume">Continue from the run folder's checkpoint when one exists.</param>
/// <param name="StopAfter">Stop (with a checkpoint) after this many iterations of the run, to be resumed later; null: run to the end.</param>
public sealed record TrainerOptions(string RunFolder, int CheckpointEvery = 0, IProgress<TrainingProgress>? Progress = null, int Prefetch = 2,
    bool Resume = true, int? StopAfter = null);

/// <summary>
/// Trains one method from an <see cref="ExperimentConfig"/> (docs/method.md §6): the two-stream sampler over the
/// labeled and unlabeled training cases, random crops with VVE, SGD with the configured schedule, periodic
/// validation on cases carved from the training list (never the test list), best/last checkpoint, and a
/// loss history. Deterministic on the CPU: the data of batch b and the dropout of iteration i are seeded from
/// (seed, b) and (seed, i), so a run resumed from a checkpoint continues exactly as if uninterrupted.
/// </summary>
public sealed class Trainer
{
    /// <summary>Checkpoint written at the end of the run (or at <see cref="TrainerOptions.StopAfter"/>).</summary>
    public const string LastCheckpoint = "last.safetensors";
    /// <summary>Checkpoint of the iteration with the best validation Dice.</summary>
    public const string BestCheckpoint = "best.safetensors";
    /// <summary>The <c>format</c> metadata of resumable checkpoints (weights, TorchSharp optimiser states, extra method state).</summary>
    public const string CheckpointFormat = "sasnet-kit checkpoint 2";

    private readonly ExperimentConfig config;
    private readonly ExperimentData data;
    private readonly TrainerOptions options;

    /// <summary>Prepares a trainer; nothing runs until <see cref="Train"/>.</summary>
    public Trainer(ExperimentConfig config, ExperimentData data, TrainerOptions options)
    {
        this.config = config.Validate();
        this.data = data;
        this.options = options;
    }

    /// <summary>Trains (or resumes) the run and returns its history; the method's network holds the selected weights afterwards.</summary>
    public TrainingHistory Train(ITrainingMethod method)
    {
        Directory.CreateDirectory(options.RunFolder);
        var history = new TrainingHistory();
        int start = 0;
        double bestDice = double.NegativeInfinity;
        var lastPath = Path.Combine(options.RunFolder, LastCheckpoint);
        if (options.Resume && File.Exists(lastPath))
        {
            var state = LoadCheckpoint(method, lastPath);
            start = state.Iteration;
            bestDice = state.BestDice;
            if (File.Exists(Path.Combine(options.RunFolder, "history.json")))
            {
                history = TrainingHistory.Load(options.RunFolder);
                history.TruncateAfter(start);
            }
        }
        // Written only after a checkpoint in the folder has been accepted: a refused resume must leave the
        // folder describing the run it holds.
        AtomicFile.WriteAllText(Path.Combine(options.RunFolder, "config.json"), config.ToJson());
        int end = Math.Min(config.Optimisation.Iterations, options.StopAfter ?? config.Optimisation.Iterations);
        if (start >= end) return history;

        var training = data.Split.TrainingCases();
        var pipeline = new PatchPipeline(training, data.Augmentation);
        var sampler = CreateSampler(config, data.Split);
        using var loader = new BatchLoader(pipeline, sampler, config.Seed, options.Prefetch, startBatch: start);
        var clock = Stopwatch.StartNew();
        method.Network.train();
        for (int iteration = start + 1; iteration <= end; iteration++)
        {
            var iterationClock = Stopwatch.StartNew();
            double lr = LearningRateAt(iteration);
            foreach (var group in method.ScheduledOptimizer.ParamGroups) group.LearningRate = lr;
            manual_seed((long)IterationSeed(config.Seed, iteration));
            var batch = loader.Next();
            IReadOnlyDictionary<string, double> parts;
            using (TrainingStepScope.Begin())
                parts = method.Step(batch, iteration);
            if (!double.IsFinite(parts["loss"]))
                throw new InvalidOperationException($"{config.RunName}: the loss became {parts["loss"]} at iteration {iteration}; " +
                    "lower the learning rate or check the data (the last good checkpoint is kept)");
            history.Add(new IterationRecord(iteration, parts["loss"], parts.Where(p => p.Key != "loss").ToDictionary(), lr, iterationClock.Elapsed.TotalSeconds));

            bool validate = data.Split.Validation.Count > 0 && config.Evaluation.ValidateEvery > 0 && (iteration % config.Evaluation.ValidateEvery == 0 || iteration == config.Optimisation.Iterations);
            // Before every evaluation and the final checkpoint. Each re-estimate replaces the running statistics
            // outright, so a resumed run ends with the same ones as an uninterrupted run.
            if (config.Evaluation.BatchNormRecalibrationBatches > 0 && (validate || iteration == config.Optimisation.Iterations))
                RecalibrateBatchNorm(method, pipeline, iteration);
            if (validate)
            {
                var metrics = Validate(method, iteration);
                history.Add(metrics);
                if (config.Evaluation.SelectBestOnValidation && metrics.Dice > bestDice)
                {
                    bestDice = metrics.Dice;
                    SaveCheckpoint(method, Path.Combine(options.RunFolder, BestCheckpoint), iteration, bestDice);
                }
            }
            if (options.CheckpointEvery > 0 && iteration % options.CheckpointEvery == 0 && iteration < end)
            {
                // History first: a process killed between the two writes then resumes from an older checkpoint and drops
                // the extra records (TruncateAfter), instead of resuming from this one with no history for it.
                history.Save(options.RunFolder);
                SaveCheckpoint(method, lastPath, iteration, bestDice);
            }
            double recent = history.MovingAverage(history.Iterations.Count - 1, 10);
            var elapsed = clock.Elapsed;
            var remaining = TimeSpan.FromSeconds(elapsed.TotalSeconds / (iteration - start) * (config.Optimisation.Iterations - iteration));
            options.Progress?.Report(new TrainingProgress(config.RunName, iteration, config.Optimisation.Iterations, recent, elapsed, remaining,
                history.Validations.Count > 0 ? history.Validations[^1].Dice : null));
        }
        history.Save(options.RunFolder);
        SaveCheckpoint(method, lastPath, end, bestDice);
        return history;
    }

    /// <summary>
    /// The batch sampler of a run. The sampler always fills the rest of a batch from its second stream, which
    /// for the supervised V-Net (labeled cases only) cycles over the labeled cases again: each V-Net batch holds
    /// <see cref="DataSettings.BatchSize"/> labeled samples, all of them supervised.
    /// </summary>
    public static TwoStreamBatchSampler CreateSampler(ExperimentConfig config, SemiSupervisedSplit split)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(split);
        var second = config.Method == TrainingMethod.VNet ? split.LabeledIndices : split.UnlabeledIndices;
        return new TwoStreamBatchSampler(split.LabeledIndices, second, config.Data.BatchSize, config.Data.LabeledBatchSize, config.Seed);
    }

    /// <summary>
    /// <see cref="BatchNormRecalibration.Run"/> on <see cref="EvaluationSettings.BatchNormRecalibrationBatches"/> batches of a
    /// stream of its own (its own shuffle and augmentation seeds, starting at batch <paramref name="iteration"/>), so
    /// the training batches are unchanged and the result depends only on the iteration.
    /// </summary>
    private void RecalibrateBatchNorm(ITrainingMethod method, PatchPipeline pipeline, int iteration)
    {
        const int StreamSeedOffset = 104_729;
        var sampler = CreateSampler(config with { Seed = config.Seed + StreamSeedOffset }, data.Split);
        using var loader = new BatchLoader(pipeline, sampler, config.Seed + StreamSeedOffset, prefetch: 0, startBatch: iteration);
        manual_seed((long)IterationSeed(config.Seed + StreamSeedOffset, iteration));
        BatchNormRecalibration.Run(method, loader, config.Evaluation.BatchNormRecalibrationBatches);
    }

    /// <summary>
    /// Learning rate of the 1-based iteration being taken: constant, or ×0.1 every <see cref="OptimisationSettings.LrDecayEvery"/>
    /// iterations (SASSNet, <see cref="LearningRates.StepDecay"/>).
    /// </summary>
    public double LearningRateAt(int iteration) =>
        config.Optimisation.LrDecayEvery > 0 ? LearningRates.StepDecay(config.Optimisation.LearningRate, iteration, config.Optimisation.LrDecayEvery) : config.Optimisation.LearningRate;

    /// <summary>The libtorch seed of an iteration (dropout masks), mixed from the run seed.</summary>
    public static ulong IterationSeed(int seed, int iteration) => (ulong)BatchLoader.SampleSeed(seed, iteration, 7919);

    /// <summary>Mean metrics of the network on the validation cases (sliding window, evaluation mode).</summary>
    public ValidationRecord Validate(ITrainingMethod method, int iteration)
    {
        method.Network.eval();
        try
        {
            var result = Evaluation.Run(method.CreatePredictor(2), data.Split.ValidationCases(), data.Window);
            var mean = result.Metrics.Mean;
            return new ValidationRecord(iteration, mean.Dice, mean.Jaccard, mean.Hd95, mean.Asd);
        }
        finally
        {
            method.Network.train();
        }
    }

    private sealed record CheckpointState(int Iteration, double BestDice);

    /// <summary>
    /// Writes every module, optimiser and extra state of the method into one safetensors file, atomically,
    /// with the iteration and configuration hash in its metadata.
    /// </summary>
    public void SaveCheckpoint(ITrainingMethod method, string path, int iteration, double bestDice)
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (prefix, module) in method.Modules)
            foreach (var (name, value) in module.state_dict()) tensors[$"{prefix}.{name}"] = value;
        foreach (var (prefix, optimizer) in method.Optimizers) tensors[$"optimizer.{prefix}"] = OptimizerStates.Save(optimizer);
        foreach (var (name, value) in method.SaveExtraState()) tensors[$"extra.{name}"] = value;
        Safetensors.Save(path, tensors, new Dictionary<string, string>
        {
            ["iteration"] = iteration.ToString(CultureInfo.InvariantCulture),
            ["best_validation_dice"] = bestDice.ToString("R", CultureInfo.InvariantCulture),
            ["config_hash"] = config.ContentHash(),
            ["method"] = config.Method.ToString(),
            ["format"] = CheckpointFormat,
        });
    }

    private CheckpointState LoadCheckpoint(ITrainingMethod method, string path)
    {
        var optimizerStates = new Dictionary<string, byte[]>();
        CheckpointState state;
        using (var scope = NewDisposeScope())
        {
            state = LoadCheckpointTensors(method, path, optimizerStates);
        }
        // Outside the scope: the optimisers' restored buffers must outlive it.
        foreach (var (prefix, optimizer) in method.Optimizers)
            OptimizerStates.Load(optimizer, optimizerStates[prefix], $"checkpoint '{path}', optimizer '{prefix}'");
        return state;
    }

    private CheckpointState LoadCheckpointTensors(ITrainingMethod method, string path, Dictionary<string, byte[]> optimizerStates)
    {
        var (tensors, metadata) = Safetensors.Load(path);
        if (metadata.GetValueOrDefault("format") != CheckpointFormat)
            throw new InvalidDataException($"checkpoint '{path}' is in format '{metadata.GetValueOrDefault("format", "unknown")}', not '{CheckpointFormat}' " +
                "(written by another version of the kit): it cannot be resumed; delete the run folder to train again");
        if (metadata.TryGetValue("config_hash", out var hash) && hash != config.ContentHash())
            throw new InvalidOperationException($"checkpoint '{path}' belongs to configuration {hash}, not {config.ContentHash()} ({config.RunName}); " +
                "delete the run folder or choose another one");
        LoadModules(method, tensors, path);
        foreach (var prefix in method.Optimizers.Keys)
        {
            if (!tensors.TryGetValue($"optimizer.{prefix}", out var saved))
                throw new InvalidDataException($"checkpoint '{path}' has no state for optimizer '{prefix}'; delete the run folder to train again");
            optimizerStates[prefix] = OptimizerStates.Bytes(saved, $"checkpoint '{path}', optimizer '{prefix}'");
        }
        method.LoadExtraState(tensors.Where(t => t.Key.StartsWith("extra.", StringComparison.Ordinal)).ToDictionary(t => t.Key["extra.".Length..], t => t.Value));
        int iteration = int.Parse(metadata["iteration"], CultureInfo.InvariantCulture);
        double best = double.Parse(metadata.GetValueOrDefault("best_validation_dice", "-Infinity"), CultureInfo.InvariantCulture);
        return new CheckpointState(iteration, best);
    }

    /// <summary>Loads only the modules' weights from a checkpoint (e.g. the best one, for evaluation).</summary>
    public static void LoadWeights(ITrainingMethod method, string path)
    {
        using var scope = NewDisposeScope();
        var (tensors, _) = Safetensors.Load(path);
        LoadModules(method, tensors, path);
    }

    private static void LoadModules(ITrainingMethod method, IReadOnlyDictionary<string, Tensor> tensors, string path)
    {
        foreach (var (prefix, module) in method.Modules)
        {
            var own = tensors.Where(t => t.Key.StartsWith(prefix + ".", StringComparison.Ordinal))
                .ToDictionary(t => t.Key[(prefix.Length + 1)..], t => t.Value);
            StateDicts.Load(module, own, $"checkpoint '{path}', module '{prefix}'");
        }
    }
}
