using TorchBinding;
using static TorchBinding.torch;

namespace TorchBinding.Tests;

/// <summary>Tests that count native tensors or measure memory must not run beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeMemoryCollection
{
    public const string Name = "native memory";
}

internal static class TestSupport
{
    public static Tensor Doubles(double[] values, params long[] shape) => tensor(values, shape);

    public static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
    }

    /// <summary>
    /// Central finite differences of a scalar function f(x) against autograd's gradient, in float64.
    /// </summary>
    public static void CheckGradient(Tensor input, Func<Tensor, Tensor> f, double step = 1e-6, double tolerance = 1e-5)
    {
        using var scope = NewDisposeScope();
        var x = input.detach().requires_grad_();
        var y = f(x);
        y.backward();
        var analytic = x.grad!.ToArray<double>();
        var values = x.detach().ToArray<double>();
        var shape = x.shape;
        for (int i = 0; i < values.Length; i++)
        {
            double original = values[i];
            values[i] = original + step;
            double up;
            using (no_grad()) up = f(tensor(values, shape)).ToDouble();
            values[i] = original - step;
            double down;
            using (no_grad()) down = f(tensor(values, shape)).ToDouble();
            values[i] = original;
            double numeric = (up - down) / (2 * step);
            Assert.True(Math.Abs(numeric - analytic[i]) <= tolerance * (1 + Math.Abs(numeric)),
                $"d/dx[{i}]: finite difference {numeric}, autograd {analytic[i]}");
        }
    }
}
