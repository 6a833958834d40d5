namespace TorchBinding;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Weight initialisation (as <c>torch.nn.init</c>); every function fills in place without recording gradients.</summary>
        public static class init
        {
            /// <summary>(fan_in, fan_out) of a weight: for conv weights (out, in, k...) fan_in = in·∏k.</summary>
            public static (long fanIn, long fanOut) fans(Tensor weight)
            {
                var s = weight.shape;
                if (s.Length < 2) throw new ArgumentException("fan in/out need a weight with at least 2 dims");
                long receptive = 1;
                for (int i = 2; i < s.Length; i++) receptive *= s[i];
                return (s[1] * receptive, s[0] * receptive);
            }

            /// <summary>U(low, high).</summary>
            public static Tensor uniform_(Tensor t, double low, double high) => t.uniform_(low, high);

            /// <summary>N(mean, std²).</summary>
            public static Tensor normal_(Tensor t, double mean = 0, double std = 1) => t.normal_(mean, std);

            /// <summary>A constant.</summary>
            public static Tensor constant_(Tensor t, double value)
            {
                using (no_grad()) return t.fill_(value);
            }

            /// <summary>He/Kaiming uniform with leaky-ReLU slope <paramref name="a"/> (PyTorch's default conv/linear init uses a = √5).</summary>
            public static Tensor kaiming_uniform_(Tensor t, double a = 0, bool fanOut = false)
            {
                var (fanIn, fOut) = fans(t);
                double gain = Math.Sqrt(2.0 / (1 + a * a));
                double bound = gain * Math.Sqrt(3.0 / (fanOut ? fOut : fanIn));
                return t.uniform_(-bound, bound);
            }

            /// <summary>He/Kaiming normal with leaky-ReLU slope <paramref name="a"/>.</summary>
            public static Tensor kaiming_normal_(Tensor t, double a = 0, bool fanOut = false)
            {
                var (fanIn, fOut) = fans(t);
                double std = Math.Sqrt(2.0 / (1 + a * a)) / Math.Sqrt(fanOut ? fOut : fanIn);
                return t.normal_(0, std);
            }

            /// <summary>Glorot/Xavier uniform.</summary>
            public static Tensor xavier_uniform_(Tensor t, double gain = 1)
            {
                var (fanIn, fanOut) = fans(t);
                double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
                return t.uniform_(-bound, bound);
            }
        }
    }
}
