using static TorchBinding.Native.NativeMethods;

namespace TorchBinding;

/// <summary>How <see cref="torch.nn.functional.conv_transpose3d"/> computes a transposed convolution.</summary>
public enum ConvTransposeAlgorithm
{
    /// <summary>Depth-to-space on the CPU when it applies (kernel = stride, no padding, no dilation, one group), libtorch's kernel otherwise.</summary>
    Auto,
    /// <summary>Always libtorch's own transposed-convolution kernel.</summary>
    Native,
    /// <summary>Always the 1×1×1 convolution + depth-to-space rearrangement (throws where it does not apply).</summary>
    DepthToSpace,
}

/// <summary>Loss reduction, as PyTorch's <c>reduction=</c> argument.</summary>
public enum Reduction
{
    /// <summary>per-element losses</summary>
    None = 0,
    /// <summary>mean over elements</summary>
    Mean = 1,
    /// <summary>sum over elements</summary>
    Sum = 2,
}

public static partial class torch
{
    /// <summary>Neural-network layers and functions (as <c>torch.nn</c>).</summary>
    public static partial class nn
    {
        /// <summary>Stateless layer functions (as <c>torch.nn.functional</c>). Shapes are (B, C, X, Y, Z) for 3D ops.</summary>
        public static class functional
        {
            private static long[] Triple(long v) => [v, v, v];

            private static Tensor Call(IntPtr result, params Tensor?[] keepAlive)
            {
                var t = new Tensor(result);
                GC.KeepAlive(keepAlive);
                return t;
            }

            /// <summary>3D convolution. input (B, Cin, X, Y, Z), weight (Cout, Cin/groups, kx, ky, kz), bias (Cout).</summary>
            public static Tensor conv3d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
                conv3d(input, weight, bias, Triple(stride), Triple(padding), Triple(dilation), groups);

            /// <summary>3D convolution with per-axis stride, padding and dilation.</summary>
            public static Tensor conv3d(Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups = 1) =>
                Call(tsh_nn_conv3d(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero, stride, padding, dilation, groups), input, weight, bias);

            /// <summary>2D convolution. input (B, Cin, H, W), weight (Cout, Cin/groups, kh, kw).</summary>
            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
                Call(tsh_nn_conv2d(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero, [stride, stride], [padding, padding], [dilation, dilation], groups), input, weight, bias);

            /// <summary>
            /// 3D transposed convolution. input (B, Cin, X, Y, Z), weight (Cin, Cout/groups, kx, ky, kz) as in PyTorch.
            /// When kernel = stride (V-Net's 2×2×2 up-sampling) the output blocks do not overlap, and the op equals a
            /// 1×1×1 convolution to Cout·kx·ky·kz channels followed by a depth-to-space rearrangement; on the CPU that
            /// path goes through oneDNN and is many times faster than libtorch 1.13's transposed kernel.
            /// </summary>
            public static Tensor conv_transpose3d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0,
                long output_padding = 0, long groups = 1, long dilation = 1, ConvTransposeAlgorithm algorithm = ConvTransposeAlgorithm.Auto)
            {
                bool applies = padding == 0 && output_padding == 0 && groups == 1 && dilation == 1 && weight.ndim == 5
                    && weight.size(2) == stride && weight.size(3) == stride && weight.size(4) == stride;
                bool useDepthToSpace = algorithm switch
                {
                    ConvTransposeAlgorithm.Native => false,
                    ConvTransposeAlgorithm.DepthToSpace => applies ? true : throw new ArgumentException(
                        "the depth-to-space path needs kernel = stride, padding 0, output_padding 0, dilation 1 and one group"),
                    _ => applies && input.device.Type == DeviceType.CPU,
                };
                if (useDepthToSpace) return ConvTransposeDepthToSpace(input, weight, bias, stride);
                return Call(tsh_nn_conv_transpose3d(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero, Triple(stride), Triple(padding),
                    Triple(output_padding), groups, Triple(dilation)), input, weight, bias);
            }

            private static Tensor ConvTransposeDepthToSpace(Tensor input, Tensor weight, Tensor? bias, long k)
            {
                var ws = weight.shape; // (Cin, Cout, k, k, k)
                long cin = ws[0], cout = ws[1];
                var xs = input.shape;
                if (xs.Length != 5 || xs[1] != cin)
                    throw new TorchException($"conv_transpose3d: input of shape [{string.Join(", ", xs)}] does not match weight [{string.Join(", ", ws)}] (expected (B, {cin}, X, Y, Z))");
                long b = xs[0], x = xs[2], y = xs[3], z = xs[4];
                // W'[(o, i, j, l), c] = W[c, o, i, j, l]
                using var wPermuted = weight.permute(1, 2, 3, 4, 0);
                using var w1 = wPermuted.reshape(cout * k * k * k, cin, 1, 1, 1);
                using var blocks = conv3d(input, w1);
                using var split = blocks.view(b, cout, k, k, k, x, y, z);
                using var interleaved = split.permute(0, 1, 5, 2, 6, 3, 7, 4);
                var output = interleaved.reshape(b, cout, x * k, y * k, z * k);
                if (bias is null) return output;
                using (output)
                using (var b5 = bias.view(1, cout, 1, 1, 1))
                    return output.add(b5);
            }

            /// <summary>Batch normalisation over (B, C, ...); running stats updated in place when training.</summary>
            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null,
                bool training = false, double momentum = 0.1, double eps = 1e-5) =>
                Call(tsh_nn_batch_norm(input.Handle, weight?.Handle ?? IntPtr.Zero, bias?.Handle ?? IntPtr.Zero, running_mean?.Handle ?? IntPtr.Zero,
                    running_var?.Handle ?? IntPtr.Zero, training ? 1 : 0, momentum, eps), input, weight, bias, running_mean, running_var);

            /// <summary>Group normalisation.</summary>
            public static Tensor group_norm(Tensor input, long num_groups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) =>
                Call(tsh_nn_group_norm(input.Handle, num_groups, weight?.Handle ?? IntPtr.Zero, bias?.Handle ?? IntPtr.Zero, eps), input, weight, bias);

            /// <summary>Instance normalisation (statistics of each sample and channel).</summary>
            public static Tensor instance_norm(Tensor input, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) =>
                Call(tsh_nn_instance_norm(input.Handle, weight?.Handle ?? IntPtr.Zero, bias?.Handle ?? IntPtr.Zero, eps), input, weight, bias);

            /// <summary>Element dropout, scaled by 1/(1−p) in training; identity otherwise.</summary>
            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true) => input.Result(tsh_nn_dropout(input.Handle, CheckP(p), training ? 1 : 0, 0));

            /// <summary>Channel dropout of (B, C, X, Y, Z): whole channels zeroed, as Dropout3d.</summary>
            public static Tensor dropout3d(Tensor input, double p = 0.5, bool training = true) => input.Result(tsh_nn_dropout(input.Handle, CheckP(p), training ? 1 : 0, 1));

            private static double CheckP(double p) => p is >= 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");

            /// <summary>max(x, 0)</summary>
            public static Tensor relu(Tensor input) => input.relu();
            /// <summary>x for x ≥ 0, slope·x otherwise.</summary>
            public static Tensor leaky_relu(Tensor input, double negative_slope = 0.01) => input.Result(tsh_nn_leaky_relu(input.Handle, negative_slope));
            /// <summary>hyperbolic tangent</summary>
            public static Tensor tanh(Tensor input) => input.tanh();
            /// <summary>logistic sigmoid</summary>
            public static Tensor sigmoid(Tensor input) => input.sigmoid();
            /// <summary>Softmax over a dimension.</summary>
            public static Tensor softmax(Tensor input, long dim) => input.Result(tsh_nn_softmax(input.Handle, dim, 0));
            /// <summary>Log-softmax over a dimension.</summary>
            public static Tensor log_softmax(Tensor input, long dim) => input.Result(tsh_nn_softmax(input.Handle, dim, 1));

            /// <summary>x·Wᵀ + b. input (..., in), weight (out, in), bias (out).</summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) =>
                Call(tsh_nn_linear(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero), input, weight, bias);

            /// <summary>Cross-entropy of logits (B, C, ...) against int64 class targets (B, ...).</summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, long ignore_index = -100, double label_smoothing = 0) =>
                Call(tsh_nn_cross_entropy(input.Handle, target.Handle, weight?.Handle ?? IntPtr.Zero, (int)reduction, ignore_index, label_smoothing), input, target, weight);

            /// <summary>Mean (or summed) squared error.</summary>
            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Call(tsh_nn_mse_loss(input.Handle, target.Handle, (int)reduction), input, target);

            /// <summary>Binary cross-entropy of logits.</summary>
            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Call(tsh_nn_bce_with_logits(input.Handle, target.Handle, (int)reduction), input, target);

            /// <summary>Binary cross-entropy of probabilities.</summary>
            public static Tensor binary_cross_entropy(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Call(tsh_nn_bce(input.Handle, target.Handle, (int)reduction), input, target);

            /// <summary>3D average pooling.</summary>
            public static Tensor avg_pool3d(Tensor input, long kernel_size, long? stride = null, long padding = 0) =>
                input.Result(tsh_nn_avg_pool3d(input.Handle, Triple(kernel_size), Triple(stride ?? kernel_size), Triple(padding)));

            /// <summary>3D max pooling.</summary>
            public static Tensor max_pool3d(Tensor input, long kernel_size, long? stride = null, long padding = 0) =>
                input.Result(tsh_nn_max_pool3d(input.Handle, Triple(kernel_size), Triple(stride ?? kernel_size), Triple(padding)));

            /// <summary>3D adaptive average pooling to a fixed output size.</summary>
            public static Tensor adaptive_avg_pool3d(Tensor input, long[] output_size) =>
                input.Result(tsh_nn_adaptive_avg_pool3d(input.Handle, output_size.Length == 3 ? output_size : throw new ArgumentException("output_size needs 3 sizes")));

            /// <summary>Resizes (B, C, X, Y, Z) to <paramref name="size"/> with "nearest" or "trilinear".</summary>
            public static Tensor interpolate(Tensor input, long[] size, string mode = "nearest", bool align_corners = false)
            {
                if (size.Length != 3) throw new ArgumentException($"interpolate needs 3 output sizes, got {size.Length}", nameof(size));
                int code = mode switch
                {
                    "nearest" => 0,
                    "trilinear" => 1,
                    _ => throw new ArgumentException($"interpolation mode must be nearest or trilinear, got '{mode}'", nameof(mode)),
                };
                return input.Result(tsh_nn_interpolate3d(input.Handle, size, code, align_corners ? 1 : 0));
            }

            /// <summary>Constant padding; <paramref name="pad"/> lists (before, after) pairs from the last dimension backwards, as F.pad.</summary>
            public static Tensor pad(Tensor input, long[] pad, double value = 0)
            {
                if (pad.Length % 2 != 0) throw new ArgumentException("pad needs (before, after) pairs", nameof(pad));
                return input.Result(tsh_op_pad(input.Handle, pad, pad.Length, value));
            }

            /// <summary>One-hot encoding of int64 class indices (adds a last dimension of size <paramref name="num_classes"/>).</summary>
            public static Tensor one_hot(Tensor input, long num_classes) => input.Result(tsh_op_one_hot(input.Handle, num_classes));
        }
    }
}
