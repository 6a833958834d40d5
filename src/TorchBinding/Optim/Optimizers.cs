using static TorchBinding.Native.NativeMethods;

namespace TorchBinding;

public static partial class torch
{
    /// <summary>Optimisers and learning-rate schedules (as <c>torch.optim</c>).</summary>
    public static partial class optim
    {
        /// <summary>
        /// Base of the optimisers: holds the parameters, their per-parameter state tensors and the step
        /// count, and saves/restores that state so a resumed run continues exactly.
        /// </summary>
        public abstract class Optimizer : IDisposable
        {
            private protected readonly IReadOnlyList<Parameter> Parameters;

            private protected Optimizer(IEnumerable<Parameter> parameters, double lr)
            {
                Parameters = parameters.ToList();
                if (Parameters.Count == 0) throw new ArgumentException("an optimiser needs at least one parameter", nameof(parameters));
                if (!(lr >= 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "learning rate must be non-negative");
                LearningRate = lr;
            }

            /// <summary>Current learning rate (schedules change it).</summary>
            public double LearningRate { get; set; }

            /// <summary>Number of steps taken.</summary>
            public long StepCount { get; protected set; }

            /// <summary>Applies one update from the accumulated gradients.</summary>
            public abstract void step();

            /// <summary>Drops (or zeroes) the parameters' gradients.</summary>
            public void zero_grad(bool set_to_none = true) => ZeroGrad(Parameters, set_to_none);

            internal static void ZeroGrad(IReadOnlyList<Parameter> parameters, bool setToNone)
            {
                if (parameters.Count == 0) return;
                var handles = new IntPtr[parameters.Count];
                for (int i = 0; i < handles.Length; i++) handles[i] = parameters[i].Handle;
                Check(tsh_optim_zero_grad(handles, handles.Length, setToNone ? 1 : 0));
                GC.KeepAlive(parameters);
            }

            /// <summary>The optimiser's state tensors by name (owned by the optimiser) plus scalars, for checkpoints.</summary>
            public abstract Dictionary<string, Tensor> state_dict();

            /// <summary>Restores state saved by <see cref="state_dict"/>; shapes are checked.</summary>
            public abstract void load_state_dict(IReadOnlyDictionary<string, Tensor> state);

            private protected static Tensor StateLike(Parameter p)
            {
                using (no_grad())
                    return zeros(p.shape, p.dtype, p.device).DetachFromDisposeScope();
            }

            private protected static void Restore(IReadOnlyDictionary<string, Tensor> state, string name, Tensor target)
            {
                if (!state.TryGetValue(name, out var source)) throw new ArgumentException($"optimiser state lacks '{name}'");
                if (!source.shape.SequenceEqual(target.shape))
                    throw new ArgumentException($"optimiser state '{name}' has shape [{string.Join(", ", source.shape)}], expected [{string.Join(", ", target.shape)}]");
                using (no_grad()) target.copy_(source);
            }

            private protected static long ReadCount(IReadOnlyDictionary<string, Tensor> state, string name) =>
                state.TryGetValue(name, out var t) ? (long)t.ToDouble() : throw new ArgumentException($"optimiser state lacks '{name}'");

            /// <summary>Frees the state tensors.</summary>
            public abstract void Dispose();
        }

        /// <summary>Stochastic gradient descent with momentum and weight decay, PyTorch's update rule.</summary>
        public sealed class SGD : Optimizer
        {
            private readonly Tensor[] momentumBuffers;
            private bool buffersFilled;

            /// <summary>Creates the optimiser.</summary>
            public SGD(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double weight_decay = 0, double dampening = 0, bool nesterov = false)
                : base(parameters, lr)
            {
                if (momentum < 0 || weight_decay < 0) throw new ArgumentException("momentum and weight decay must be non-negative");
                if (nesterov && (momentum <= 0 || dampening != 0)) throw new ArgumentException("Nesterov momentum needs momentum > 0 and zero dampening");
                Momentum = momentum; WeightDecay = weight_decay; Dampening = dampening; Nesterov = nesterov;
                momentumBuffers = momentum != 0 ? Parameters.Select(StateLike).ToArray() : [];
            }

            /// <summary>Momentum factor.</summary>
            public double Momentum { get; }
            /// <summary>L2 penalty.</summary>
            public double WeightDecay { get; }
            /// <summary>Dampening of momentum.</summary>
            public double Dampening { get; }
            /// <summary>Whether Nesterov momentum is used.</summary>
            public bool Nesterov { get; }

            /// <inheritdoc/>
            public override void step()
            {
                for (int i = 0; i < Parameters.Count; i++)
                {
                    var p = Parameters[i];
                    var buffer = Momentum != 0 ? momentumBuffers[i].Handle : IntPtr.Zero;
                    Check(tsh_optim_sgd_step(p.Handle, buffer, buffersFilled ? 1 : 0, LearningRate, Momentum, Dampening, WeightDecay, Nesterov ? 1 : 0));
                }
                GC.KeepAlive(momentumBuffers);
                GC.KeepAlive(Parameters);
                buffersFilled = true;
                StepCount++;
            }

            /// <inheritdoc/>
            public override Dictionary<string, Tensor> state_dict()
            {
                var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                for (int i = 0; i < momentumBuffers.Length; i++) state[$"momentum_buffer.{i}"] = momentumBuffers[i];
                return state;
            }

            /// <inheritdoc/>
            public override void load_state_dict(IReadOnlyDictionary<string, Tensor> state)
            {
                for (int i = 0; i < momentumBuffers.Length; i++) Restore(state, $"momentum_buffer.{i}", momentumBuffers[i]);
                buffersFilled = momentumBuffers.Length > 0;
            }

            /// <summary>Marks the step count after loading a checkpoint.</summary>
            public void RestoreStepCount(long steps)
            {
                StepCount = steps;
                buffersFilled = steps > 0;
            }

            /// <inheritdoc/>
            public override void Dispose()
            {
                foreach (var b in momentumBuffers) b.Dispose();
            }
        }

        /// <summary>Adam (Kingma &amp; Ba), PyTorch's update rule with L2 weight decay, no AMSGrad.</summary>
        public sealed class Adam : Optimizer
        {
            private readonly Tensor[] expAvg;
            private readonly Tensor[] expAvgSq;

            /// <summary>Creates the optimiser.</summary>
            public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0)
                : base(parameters, lr)
            {
                if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1) throw new ArgumentException("Adam betas must lie in [0, 1)");
                Beta1 = beta1; Beta2 = beta2; Eps = eps; WeightDecay = weight_decay;
                expAvg = Parameters.Select(StateLike).ToArray();
                expAvgSq = Parameters.Select(StateLike).ToArray();
            }

            /// <summary>First-moment decay.</summary>
            public double Beta1 { get; }
            /// <summary>Second-moment decay.</summary>
            public double Beta2 { get; }
            /// <summary>Denominator guard.</summary>
            public double Eps { get; }
            /// <summary>L2 penalty.</summary>
            public double WeightDecay { get; }

            /// <inheritdoc/>
            public override void step()
            {
                StepCount++;
                for (int i = 0; i < Parameters.Count; i++)
                    Check(tsh_optim_adam_step(Parameters[i].Handle, expAvg[i].Handle, expAvgSq[i].Handle, StepCount, LearningRate, Beta1, Beta2, Eps, WeightDecay));
                GC.KeepAlive(expAvg);
                GC.KeepAlive(expAvgSq);
                GC.KeepAlive(Parameters);
            }

            /// <inheritdoc/>
            public override Dictionary<string, Tensor> state_dict()
            {
                var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                for (int i = 0; i < expAvg.Length; i++)
                {
                    state[$"exp_avg.{i}"] = expAvg[i];
                    state[$"exp_avg_sq.{i}"] = expAvgSq[i];
                }
                return state;
            }

            /// <inheritdoc/>
            public override void load_state_dict(IReadOnlyDictionary<string, Tensor> state)
            {
                for (int i = 0; i < expAvg.Length; i++)
                {
                    Restore(state, $"exp_avg.{i}", expAvg[i]);
                    Restore(state, $"exp_avg_sq.{i}", expAvgSq[i]);
                }
            }

            /// <summary>Sets the step count after loading a checkpoint (bias correction depends on it).</summary>
            public void RestoreStepCount(long steps) => StepCount = steps;

            /// <inheritdoc/>
            public override void Dispose()
            {
                foreach (var t in expAvg) t.Dispose();
                foreach (var t in expAvgSq) t.Dispose();
            }
        }

        /// <summary>Learning-rate schedules (as <c>torch.optim.lr_scheduler</c>).</summary>
        public static class lr_scheduler
        {
            /// <summary>Multiplies the learning rate by <c>gamma</c> every <c>step_size</c> calls of <see cref="step"/>.</summary>
            public sealed class StepLR
            {
                private readonly Optimizer optimizer;
                private readonly double initialLr;

                /// <summary>Creates the schedule from the optimiser's current learning rate.</summary>
                public StepLR(Optimizer optimizer, int step_size, double gamma = 0.1)
                {
                    if (step_size < 1) throw new ArgumentOutOfRangeException(nameof(step_size), step_size, "step size must be at least 1");
                    this.optimizer = optimizer;
                    initialLr = optimizer.LearningRate;
                    StepSize = step_size;
                    Gamma = gamma;
                }

                /// <summary>Calls between decays.</summary>
                public int StepSize { get; }
                /// <summary>Decay factor.</summary>
                public double Gamma { get; }
                /// <summary>Calls of <see cref="step"/> so far.</summary>
                public long Epoch { get; private set; }

                /// <summary>Advances the schedule by one and sets the optimiser's learning rate.</summary>
                public void step() => SetEpoch(Epoch + 1);

                /// <summary>Jumps to a given count (for resuming).</summary>
                public void SetEpoch(long epoch)
                {
                    Epoch = epoch;
                    optimizer.LearningRate = initialLr * Math.Pow(Gamma, epoch / StepSize);
                }
            }
        }
    }
}
