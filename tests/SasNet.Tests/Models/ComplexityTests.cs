using SasNet.Complexity;
using SasNet.Models;
using Xunit.Abstractions;

namespace SasNet.Tests.Models;

public class ComplexityTests(ITestOutputHelper output)
{
    [Fact]
    public void ScaledTraceEqualsAFullForwardAndHandCounts()
    {
        using var net = new SasNetModel(new ModelConfig(BaseFilters: 4));
        var scaled = ModelComplexity.Measure(net, [32, 16, 48]);
        var exact = ModelComplexity.Measure(net, [32, 16, 48], exact: true);
        Assert.Equal(exact.MultiplyAccumulates, scaled.MultiplyAccumulates);
        Assert.Equal(exact.Layers.Count, scaled.Layers.Count);
        Assert.True(net.training); // training mode restored

        // Hand count for the first conv (1 → 4 channels, 3×3×3) and the deepest up-convolution (64 → 32, k 2, on 2×1×3 voxels).
        Assert.Equal("encoder.block_one.conv.0", exact.Layers[0].Name);
        Assert.Equal(4.0 * 1 * 27 * 32 * 16 * 48, exact.Layers[0].MultiplyAccumulates);
        var up = exact.Layers.Single(l => l.Name == "decoder3.block_five_up.conv.0");
        Assert.Equal(64.0 * 32 * 8 * (2 * 1 * 3), up.MultiplyAccumulates);
        var thop = ModelComplexity.Measure(net, [32, 16, 48], TransposedConvCounting.OutputVoxels);
        Assert.Equal(8 * up.MultiplyAccumulates, thop.Layers.Single(l => l.Name == up.Name).MultiplyAccumulates);
    }

    [Fact]
    public void Table11Sizes()
    {
        using var vnet = new VNet();
        using var sasnet = new SasNetModel();
        var v = ModelComplexity.Measure(vnet, [112, 112, 80]);
        var s = ModelComplexity.Measure(sasnet, [112, 112, 80]);
        output.WriteLine(ModelComplexity.CompareWithPaper([v, s]));
        var vThop = ModelComplexity.Measure(vnet, [112, 112, 80], TransposedConvCounting.OutputVoxels);
        output.WriteLine(vThop.ToString());
        Assert.Equal(46.85, Math.Round(vThop.GigaMacs, 2)); // the paper's V-Net figure is thop-style
        output.WriteLine(ModelComplexity.Measure(sasnet, [112, 112, 80], TransposedConvCounting.OutputVoxels).ToString());
        Assert.Equal(9_448_866, v.Parameters);
        Assert.Equal(11_258_376, s.Parameters);
        Assert.Equal(40_108_687_360, v.MultiplyAccumulates);
        Assert.Equal(62_780_211_200, s.MultiplyAccumulates);
    }

    [Fact]
    public void DiscriminatorIsCounted()
    {
        using var d = new SassNetDiscriminator(baseFilters: 8);
        var r = ModelComplexity.Measure(d, [16, 16, 16]);
        Assert.Equal(d.parameters().Sum(p => p.numel()), r.Parameters);
        Assert.Equal(6, r.Layers.Count);
        Assert.Equal(64.0 * 2, r.Layers[^1].MultiplyAccumulates);
    }
}
