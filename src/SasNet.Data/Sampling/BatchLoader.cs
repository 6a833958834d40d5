using System.Threading.Channels;

namespace SasNet.Data.Sampling;

/// <summary>
/// Produces training batches from a <see cref="TwoStreamBatchSampler"/> and a <see cref="PatchPipeline"/>,
/// optionally prefetching so that loading and augmentation overlap training. Deterministic: batch b uses a
/// <see cref="Random"/> seeded from (seed, b) and sample i of it one seeded from (seed, b, i), so the same
/// batches come out in the same order with or without prefetch and whatever the thread timing.
/// Prefetch: a producer task starts one worker task per batch and queues it in a bounded channel of
/// <c>prefetch</c> entries, so at most prefetch + 1 batches are being built ahead of the consumer.
/// <see cref="Dispose"/> cancels and waits for every task it started: no thread outlives the loader.
/// </summary>
public sealed class BatchLoader : IDisposable
{
    private readonly PatchPipeline pipeline;
    private readonly int seed;
    private readonly IEnumerator<BatchPlan>? plans;             // synchronous mode
    private readonly Channel<Task<TrainingBatch>>? queue;       // prefetch mode
    private readonly CancellationTokenSource cancel = new();
    private readonly Task? producer;
    private readonly List<Task> started = [];
    private bool disposed;

    /// <summary>Creates the loader.</summary>
    /// <param name="pipeline">Crop/augment pipeline over the training cases.</param>
    /// <param name="sampler">Which cases go in which batch.</param>
    /// <param name="seed">Augmentation seed (independent of the sampler's shuffle seed).</param>
    /// <param name="prefetch">Batches prepared ahead; 0 builds each batch on the calling thread in <see cref="Next"/>.</param>
    /// <param name="startBatch">Index of the first batch to deliver: a resumed run skips the batches it already
    /// trained on (cheaply: only their plans are enumerated) and continues with exactly the batches it would have seen.</param>
    public BatchLoader(PatchPipeline pipeline, TwoStreamBatchSampler sampler, int seed, int prefetch = 2, long startBatch = 0)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentOutOfRangeException.ThrowIfNegative(prefetch);
        ArgumentOutOfRangeException.ThrowIfNegative(startBatch);
        this.pipeline = pipeline;
        this.seed = seed;
        Prefetch = prefetch;
        if (prefetch == 0)
        {
            plans = sampler.Batches().Where(p => p.BatchIndex >= startBatch).GetEnumerator();
            return;
        }
        queue = Channel.CreateBounded<Task<TrainingBatch>>(new BoundedChannelOptions(prefetch)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var token = cancel.Token;
        producer = Task.Run(async () =>
        {
            try
            {
                foreach (var plan in sampler.Batches().Where(p => p.BatchIndex >= startBatch))
                {
                    token.ThrowIfCancellationRequested();
                    var work = Task.Run(() => Build(plan, token), token);
                    lock (started) started.Add(work);
                    await queue.Writer.WriteAsync(work, token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
            finally
            {
                queue.Writer.TryComplete();
            }
        }, CancellationToken.None);
    }

    /// <summary>Batches prepared ahead (0 = synchronous).</summary>
    public int Prefetch { get; }

    /// <summary>
    /// The next batch. Blocks until it is ready; a failure while loading (e.g. a corrupt case file) is
    /// rethrown here with its original exception type.
    /// </summary>
    public TrainingBatch Next(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (plans is not null)
        {
            plans.MoveNext();
            return Build(plans.Current, cancellationToken);
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cancel.Token);
        var work = queue!.Reader.ReadAsync(linked.Token).AsTask().GetAwaiter().GetResult();
        var batch = work.GetAwaiter().GetResult();
        lock (started) started.Remove(work);
        return batch;
    }

    /// <summary>Builds batch <paramref name="plan"/> deterministically (what the workers run).</summary>
    public TrainingBatch Build(BatchPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var samples = new TrainingSample[plan.CaseIndices.Count];
        for (int i = 0; i < samples.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var random = new Random(SampleSeed(seed, plan.BatchIndex, i));
            samples[i] = pipeline.Sample(plan.CaseIndices[i], i < plan.LabeledCount, random);
        }
        return TrainingBatch.Pack(plan.BatchIndex, plan.Epoch, samples);
    }

    /// <summary>Seed of sample <paramref name="slot"/> of batch <paramref name="batchIndex"/> (SplitMix64 mixing).</summary>
    public static int SampleSeed(int seed, long batchIndex, int slot)
    {
        ulong z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)batchIndex * 0xD1B54A32D192ED03UL + (ulong)slot * 0x8CB92BA72F3D8DD7UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }

    /// <summary>Cancels prefetching and waits for all worker tasks to finish.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        cancel.Cancel();
        if (producer is not null)
        {
            try { producer.Wait(); } catch (AggregateException) { }
            Task[] pending;
            lock (started) pending = started.ToArray();
            try { Task.WaitAll(pending); } catch (AggregateException) { } // cancelled or failed work is discarded
        }
        plans?.Dispose();
        cancel.Dispose();
    }
}
