using SasNet.Runtime;

namespace SasNet.Tests.Runtime;

/// <summary>
/// The gradients libtorch computes for the convolutions of the kit's networks, in float32 on the CPU with the thread
/// counts training uses, against float64, under the oneDNN instruction set this process runs with (the one
/// <c>sasnet engine check</c> recorded for this processor, or AVX). This caught oneDNN's wrong AVX2 and AVX-512
/// convolution gradients on AMD Zen 5 processors (see <see cref="TorchRuntime"/>).
/// </summary>
public class EngineCorrectnessTests
{
    public static TheoryData<string, int> Layers()
    {
        var data = new TheoryData<string, int>();
        foreach (var layer in ConvolutionGradientCheck.Layers)
            foreach (var threads in new[] { 1, 2 })
                data.Add(layer, threads);
        return data;
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Float32GradientsMatchFloat64(string layer, int threads)
    {
        var result = ConvolutionGradientCheck.Measure(layer, threads);
        Assert.True(result.InputError < ConvolutionGradientCheck.Tolerance, $"{result} ({TorchRuntime.OneDnnIsaNote})");
        Assert.True(result.WeightError < ConvolutionGradientCheck.Tolerance, $"{result} ({TorchRuntime.OneDnnIsaNote})");
    }

    [Fact]
    public void AGradientOffByMoreThanTheToleranceFails()
    {
        var wrong = new ConvolutionGradientCheck.LayerError("conv k3 p1", 2, 3e-3, 1e-7);
        var nan = new ConvolutionGradientCheck.LayerError("conv k3 p1", 2, double.NaN, 1e-7);
        Assert.False(wrong.Passed);
        Assert.False(nan.Passed);
        Assert.True(new ConvolutionGradientCheck.LayerError("conv k1", 1, 2e-7, 3e-7).Passed);
    }
}
