using System.Runtime;

namespace SasNet.Training;

/// <summary>
/// Holds off garbage collections, and so finalizers, for the duration of a training step.
/// <para>
/// Why: TorchSharp passes the native handle of a temporary <c>Scalar</c> (for example the <c>1</c> in BatchNorm's
/// <c>num_batches_tracked.add_(1)</c>, or SGD's <c>alpha</c>) to libtorch without keeping the managed object alive.
/// When another thread (the batch prefetcher, a parallel test) triggers a collection during that native call, the
/// finalizer frees the scalar while libtorch reads it. Seen once in the test suite as libtorch's
/// "Expected false to be true … toLong" in <c>BatchNorm.forward</c>; it could as well read a wrong value silently.
/// </para>
/// If the step allocates more managed memory than the budget, the runtime ends the region itself and collects as
/// usual; the step still runs.
/// </summary>
internal readonly struct FinalizerPause : IDisposable
{
    // Managed allocations of a step (tensor wrappers, a prefetched batch) stay far below this.
    private const long Budget = 64L << 20;

    private readonly bool started;

    private FinalizerPause(bool started) => this.started = started;

    /// <summary>Starts a no-GC region when none is active; a no-op where the runtime refuses one.</summary>
    public static FinalizerPause Begin()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return default;
        try
        {
            return new FinalizerPause(GC.TryStartNoGCRegion(Budget));
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
        {
            return default;
        }
    }

    /// <summary>Ends the region unless the runtime already ended it.</summary>
    public void Dispose()
    {
        if (started && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
    }
}
