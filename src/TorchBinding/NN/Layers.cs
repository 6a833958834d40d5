using F = TorchBinding.torch.nn.functional;

namespace TorchBinding;

public static partial class torch
{
    public static partial class nn
    {
        // PyTorch's default initialisation of conv/linear layers: weights Kaiming-uniform with a = √5,
        // i.e. U(±1/√fan_in); biases U(±1/√fan_in).
        private static (Parameter weight, Parameter? bias) DefaultInit(long[] weightShape, long biasSize, long fanIn, bool bias)
        {
            using var w = empty(weightShape);
            double bound = 1 / Math.Sqrt(fanIn);
            w.uniform_(-bound, bound);
            Parameter? b = null;
            if (bias)
            {
                using var bt = empty([biasSize]);
                bt.uniform_(-bound, bound);
                b = new Parameter(bt);
            }
            return (new Parameter(w), b);
        }

        /// <summary>3D convolution layer: (B, Cin, X, Y, Z) → (B, Cout, X', Y', Z').</summary>
        public sealed class Conv3d : Module<Tensor, Tensor>
        {
            /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
            public Conv3d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true)
                : base(nameof(Conv3d))
            {
                if (in_channels < 1 || out_channels < 1 || kernel_size < 1 || groups < 1 || in_channels % groups != 0 || out_channels % groups != 0)
                    throw new ArgumentException($"Conv3d({in_channels}, {out_channels}, kernel {kernel_size}, groups {groups}) is not a valid configuration");
                Stride = stride; Padding = padding; Dilation = dilation; Groups = groups;
                long k3 = kernel_size * kernel_size * kernel_size;
                var (w, b) = DefaultInit([out_channels, in_channels / groups, kernel_size, kernel_size, kernel_size], out_channels, in_channels / groups * k3, bias);
                weight = register_parameter("weight", w)!;
                this.bias = register_parameter("bias", b);
            }

            /// <summary>(Cout, Cin/groups, k, k, k)</summary>
            public Parameter weight { get; }
            /// <summary>(Cout) or null</summary>
            public Parameter? bias { get; }
            /// <summary>Stride on every axis.</summary>
            public long Stride { get; }
            /// <summary>Zero padding on every axis.</summary>
            public long Padding { get; }
            /// <summary>Dilation on every axis.</summary>
            public long Dilation { get; }
            /// <summary>Channel groups.</summary>
            public long Groups { get; }

            /// <inheritdoc/>
            public override Tensor forward(Tensor input) => F.conv3d(input, weight, bias, Stride, Padding, Dilation, Groups);
        }

        /// <summary>3D transposed convolution layer (up-sampling); weight (Cin, Cout, k, k, k) as in PyTorch.</summary>
        public sealed class ConvTranspose3d : Module<Tensor, Tensor>
        {
            /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
            public ConvTranspose3d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long output_padding = 0, bool bias = true,
                ConvTransposeAlgorithm algorithm = ConvTransposeAlgorithm.Auto)
                : base(nameof(ConvTranspose3d))
            {
                if (in_channels < 1 || out_channels < 1 || kernel_size < 1)
                    throw new ArgumentException($"ConvTranspose3d({in_channels}, {out_channels}, kernel {kernel_size}) is not a valid configuration");
                Stride = stride; Padding = padding; OutputPadding = output_padding; Algorithm = algorithm;
                long k3 = kernel_size * kernel_size * kernel_size;
                // PyTorch computes fan_in from weight.size(1) = out_channels for transposed convolutions.
                var (w, b) = DefaultInit([in_channels, out_channels, kernel_size, kernel_size, kernel_size], out_channels, out_channels * k3, bias);
                weight = register_parameter("weight", w)!;
                this.bias = register_parameter("bias", b);
            }

            /// <summary>(Cin, Cout, k, k, k)</summary>
            public Parameter weight { get; }
            /// <summary>(Cout) or null</summary>
            public Parameter? bias { get; }
            /// <summary>Stride.</summary>
            public long Stride { get; }
            /// <summary>Padding.</summary>
            public long Padding { get; }
            /// <summary>Extra size on one side of the output.</summary>
            public long OutputPadding { get; }
            /// <summary>Which kernel computes the op.</summary>
            public ConvTransposeAlgorithm Algorithm { get; set; }

            /// <inheritdoc/>
            public override Tensor forward(Tensor input) =>
                F.conv_transpose3d(input, weight, bias, Stride, Padding, OutputPadding, algorithm: Algorithm);
        }

        /// <summary>Batch normalisation over (B, C, X, Y, Z), with running statistics for evaluation.</summary>
        public sealed class BatchNorm3d : Module<Tensor, Tensor>
        {
            /// <summary>Creates the layer: weight 1, bias 0, running mean 0, running variance 1.</summary>
            public BatchNorm3d(long num_features, double eps = 1e-5, double momentum = 0.1) : base(nameof(BatchNorm3d))
            {
                Eps = eps; Momentum = momentum;
                using (var w = ones(num_features)) weight = register_parameter("weight", new Parameter(w))!;
                using (var b = zeros(num_features)) bias = register_parameter("bias", new Parameter(b))!;
                running_mean = register_buffer("running_mean", zeros(num_features));
                running_var = register_buffer("running_var", ones(num_features));
                num_batches_tracked = register_buffer("num_batches_tracked", zeros([], ScalarType.Int64));
            }

            /// <summary>Scale γ.</summary>
            public Parameter weight { get; }
            /// <summary>Shift β.</summary>
            public Parameter bias { get; }
            /// <summary>Running mean (buffer).</summary>
            public Tensor running_mean { get; }
            /// <summary>Running variance (buffer).</summary>
            public Tensor running_var { get; }
            /// <summary>Count of training batches seen (buffer, kept for PyTorch compatibility).</summary>
            public Tensor num_batches_tracked { get; }
            /// <summary>Added to the variance.</summary>
            public double Eps { get; }
            /// <summary>
            /// Running-statistics update rate: running = (1 − momentum)·running + momentum·batch. Settable, as in PyTorch,
            /// e.g. 1/(k+1) on the k-th of a series of batches gives their plain average.
            /// </summary>
            public double Momentum
            {
                get;
                set
                {
                    if (!(value is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(value), value, "BatchNorm momentum must lie in [0, 1]");
                    field = value;
                }
            }

            /// <inheritdoc/>
            public override Tensor forward(Tensor input)
            {
                if (training)
                    using (no_grad()) num_batches_tracked.add_(1);
                return F.batch_norm(input, running_mean, running_var, weight, bias, training, Momentum, Eps);
            }
        }

        /// <summary>Group normalisation layer.</summary>
        public sealed class GroupNorm : Module<Tensor, Tensor>
        {
            /// <summary>Creates the layer: weight 1, bias 0.</summary>
            public GroupNorm(long num_groups, long num_channels, double eps = 1e-5) : base(nameof(GroupNorm))
            {
                if (num_groups < 1 || num_channels % num_groups != 0)
                    throw new ArgumentException($"GroupNorm: {num_channels} channels cannot be split into {num_groups} groups");
                Groups = num_groups; Eps = eps;
                using (var w = ones(num_channels)) weight = register_parameter("weight", new Parameter(w))!;
                using (var b = zeros(num_channels)) bias = register_parameter("bias", new Parameter(b))!;
            }

            /// <summary>Scale.</summary>
            public Parameter weight { get; }
            /// <summary>Shift.</summary>
            public Parameter bias { get; }
            /// <summary>Number of groups.</summary>
            public long Groups { get; }
            /// <summary>Added to the variance.</summary>
            public double Eps { get; }

            /// <inheritdoc/>
            public override Tensor forward(Tensor input) => F.group_norm(input, Groups, weight, bias, Eps);
        }

        /// <summary>Instance normalisation layer (affine).</summary>
        public sealed class InstanceNorm3d : Module<Tensor, Tensor>
        {
            /// <summary>Creates the layer: weight 1, bias 0.</summary>
            public InstanceNorm3d(long num_features, double eps = 1e-5) : base(nameof(InstanceNorm3d))
            {
                Eps = eps;
                using (var w = ones(num_features)) weight = register_parameter("weight", new Parameter(w))!;
                using (var b = zeros(num_features)) bias = register_parameter("bias", new Parameter(b))!;
            }

            /// <summary>Scale.</summary>
            public Parameter weight { get; }
            /// <summary>Shift.</summary>
            public Parameter bias { get; }
            /// <summary>Added to the variance.</summary>
            public double Eps { get; }

            /// <inheritdoc/>
            public override Tensor forward(Tensor input) => F.instance_norm(input, weight, bias, Eps);
        }

        /// <summary>Channel dropout for (B, C, X, Y, Z).</summary>
        public sealed class Dropout3d(double p = 0.5) : Module<Tensor, Tensor>(nameof(Dropout3d))
        {
            /// <summary>Probability of zeroing a channel.</summary>
            public double P { get; } = p;

            /// <inheritdoc/>
            public override Tensor forward(Tensor input) => F.dropout3d(input, P, training);
        }

        /// <summary>Element dropout.</summary>
        public sealed class Dropout(double p = 0.5) : Module<Tensor, Tensor>(nameof(Dropout))
        {
            /// <summary>Probability of zeroing an element.</summary>
            public double P { get; } = p;

            /// <inheritdoc/>
            public override Tensor forward(Tensor input) => F.dropout(input, P, training);
        }

        /// <summary>Fully connected layer: (..., in) → (..., out).</summary>
        public sealed class Linear : Module<Tensor, Tensor>
        {
            /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
            public Linear(long in_features, long out_features, bool bias = true) : base(nameof(Linear))
            {
                var (w, b) = DefaultInit([out_features, in_features], out_features, in_features, bias);
                weight = register_parameter("weight", w)!;
                this.bias = register_parameter("bias", b);
            }

            /// <summary>(out, in)</summary>
            public Parameter weight { get; }
            /// <summary>(out) or null</summary>
            public Parameter? bias { get; }

            /// <inheritdoc/>
            public override Tensor forward(Tensor input) => F.linear(input, weight, bias);
        }

        /// <summary>ReLU activation (in place when <paramref name="inplace"/>: the input's storage is reused).</summary>
        public sealed class ReLU(bool inplace = false) : Module<Tensor, Tensor>(nameof(ReLU))
        {
            /// <inheritdoc/>
            public override Tensor forward(Tensor input) => inplace ? input.relu_().alias() : input.relu();
        }

        /// <summary>Leaky ReLU activation.</summary>
        public sealed class LeakyReLU(double negative_slope = 0.01) : Module<Tensor, Tensor>(nameof(LeakyReLU))
        {
            /// <inheritdoc/>
            public override Tensor forward(Tensor input) => F.leaky_relu(input, negative_slope);
        }

        /// <summary>Tanh activation.</summary>
        public sealed class Tanh() : Module<Tensor, Tensor>(nameof(Tanh))
        {
            /// <inheritdoc/>
            public override Tensor forward(Tensor input) => input.tanh();
        }

        /// <summary>Sigmoid activation.</summary>
        public sealed class Sigmoid() : Module<Tensor, Tensor>(nameof(Sigmoid))
        {
            /// <inheritdoc/>
            public override Tensor forward(Tensor input) => input.sigmoid();
        }

        /// <summary>
        /// Runs its modules in order. Intermediate results are freed as soon as the next module has
        /// consumed them (autograd keeps what it needs), which keeps memory and time down.
        /// </summary>
        public sealed class Sequential : Module<Tensor, Tensor>
        {
            private readonly List<Module<Tensor, Tensor>> layers = [];

            /// <summary>Creates the container; modules are named "0", "1", … as in PyTorch.</summary>
            public Sequential(params Module<Tensor, Tensor>[] modules) : base(nameof(Sequential))
            {
                foreach (var m in modules) append(m);
            }

            /// <summary>Adds a module at the end.</summary>
            public Sequential append(Module<Tensor, Tensor> module)
            {
                layers.Add(register_module(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module));
                return this;
            }

            /// <summary>Number of modules.</summary>
            public int Count => layers.Count;

            /// <summary>The module at <paramref name="index"/>.</summary>
            public Module<Tensor, Tensor> this[int index] => layers[index];

            /// <inheritdoc/>
            public override Tensor forward(Tensor input)
            {
                if (layers.Count == 0) return input.alias();
                Tensor x = layers[0].forward(input);
                for (int i = 1; i < layers.Count; i++)
                {
                    var next = layers[i].forward(x);
                    x.Dispose();
                    x = next;
                }
                return x;
            }
        }
    }
}
