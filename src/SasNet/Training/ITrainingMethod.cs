using SasNet.Data.Sampling;
using SasNet.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace SasNet.Training;

/// <summary>
/// One training method (V-Net, SASSNet, SASNet) as the <see cref="Trainer"/> sees it: its networks and
/// optimisers, one training step on a batch, a predictor for evaluation, and any state beyond the
/// networks' weights that a checkpoint must carry (SAR confidence maps, the discriminator's optimiser).
/// </summary>
public interface ITrainingMethod : IDisposable
{
    /// <summary>The segmentation network that evaluation and prediction use.</summary>
    torch.nn.Module Network { get; }

    /// <summary>Every module and optimiser whose state a checkpoint saves, by a stable prefix.</summary>
    IReadOnlyDictionary<string, torch.nn.Module> Modules { get; }

    /// <summary>Every optimiser, by a stable prefix; a checkpoint saves each one's state.</summary>
    IReadOnlyDictionary<string, TorchSharp.Modules.OptimizerHelper> Optimizers { get; }

    /// <summary>The optimiser whose learning rate follows the schedule: the segmentation network's (SASSNet's discriminator keeps its own rate).</summary>
    TorchSharp.Modules.OptimizerHelper ScheduledOptimizer { get; }

    /// <summary>
    /// Runs one iteration on <paramref name="batch"/> (forward, losses, backward, optimiser steps) and returns
    /// the total loss and its named parts. Called inside a dispose scope.
    /// </summary>
    IReadOnlyDictionary<string, double> Step(TrainingBatch batch, int iteration);

    /// <summary>Seconds spent in each phase of the last <see cref="Step"/> ("forward", "losses", "sdm", "sar", "backward"), for benchmarks.</summary>
    IReadOnlyDictionary<string, double> LastStepTimings { get; }

    /// <summary>
    /// Sliding-window inference with the network's foreground probability (windows (n, 1, px, py, pz) → (n, px, py, pz)),
    /// <paramref name="maxBatch"/> windows per forward pass.
    /// </summary>
    SlidingWindowPredictor CreatePredictor(int maxBatch);

    /// <summary>State beyond modules and optimisers, as named tensors (created in the caller's dispose scope).</summary>
    IReadOnlyDictionary<string, Tensor> SaveExtraState();

    /// <summary>Restores what <see cref="SaveExtraState"/> produced.</summary>
    void LoadExtraState(IReadOnlyDictionary<string, Tensor> state);
}
