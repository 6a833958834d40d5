using System.Runtime;
using static TorchSharp.torch;

namespace SasNet.Training;

/// <summary>
/// The native-memory discipline of one training step: <c>using (TrainingStepScope.Begin()) { … }</c> around the
/// step's forward, backward and optimiser update. It does three things.
/// <list type="number">
/// <item>Every tensor the step creates lives in one dispose scope and is freed when the step ends.</item>
/// <item>No garbage collection runs while the step runs. TorchSharp passes the native handle of a temporary
/// <c>Scalar</c> (the <c>1</c> in BatchNorm's <c>num_batches_tracked.add_(1)</c>, SGD's step size) to libtorch without
/// keeping the managed object alive; a collection triggered by another thread (the batch prefetcher, a parallel
/// test) during that call lets the finalizer free the scalar while libtorch reads it. Seen once in the test suite as
/// libtorch's "Expected false to be true … toLong" in <c>BatchNorm.forward</c>.</item>
/// <item>When the step ends, its garbage is collected and its finalizers are waited for. Those temporary scalars
/// belong to no dispose scope: TorchSharp 0.107 leaves them to the finalizer (SGD alone makes four per parameter per
/// step), and until they are finalized their small native blocks sit among the step's freed activations and keep the
/// allocator from reusing them. With a plain dispose scope resident memory grew from 855 to 1,392 MiB between steps
/// 50 and 150 of <c>sasnet benchmark memory</c> (8-filter SASNet at 32³, batch 4), until the runtime first collected
/// on its own; the no-GC region alone, whose start collects every step, still grew 535 → 1,338 MiB over 200 steps.
/// Waiting for the finalizers after each step keeps it flat (392–396 MiB) at the same speed.</item>
/// </list>
/// If a step allocates more managed memory than the no-GC budget, the runtime ends the region itself and collects as
/// usual; the step still runs.
/// </summary>
public readonly struct TrainingStepScope : IDisposable
{
    // Managed allocations of a step (tensor wrappers, a prefetched batch) stay far below this.
    private const long NoCollectionBudget = 64L << 20;

    private readonly bool noCollectionRegion;
    private readonly IDisposable? tensors;

    private TrainingStepScope(bool noCollectionRegion, IDisposable tensors)
    {
        this.noCollectionRegion = noCollectionRegion;
        this.tensors = tensors;
    }

    /// <summary>Opens the step's dispose scope, in a no-GC region where the runtime grants one.</summary>
    public static TrainingStepScope Begin()
    {
        bool region = false;
        if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
        {
            try
            {
                region = GC.TryStartNoGCRegion(NoCollectionBudget);
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
            {
                // The runtime refuses a region (for example a nested one started elsewhere): the step runs without.
            }
        }
        return new TrainingStepScope(region, NewDisposeScope());
    }

    /// <summary>Frees the step's tensors, ends the no-GC region, then collects the step's garbage and waits for its
    /// finalizers.</summary>
    public void Dispose()
    {
        if (tensors is null) return;   // default(TrainingStepScope)
        tensors.Dispose();
        if (noCollectionRegion && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        // The step's temporaries are all in the youngest generation.
        GC.Collect(0);
        GC.WaitForPendingFinalizers();
    }
}
