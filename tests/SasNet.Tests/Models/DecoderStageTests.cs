using SasNet.Geometry;
using SasNet.Inference;
using SasNet.Models;
using static TorchSharp.torch;

namespace SasNet.Tests.Models;

public class DecoderStageTests
{
    [Fact]
    public void CapturedStagesAreTheDecodersBlocksOneVolumePerChannel()
    {
        manual_seed(5);
        using var model = new SasNetModel(new ModelConfig(BaseFilters: 4));
        var patch = new Shape3(32, 32, 16);
        var random = new Random(3);
        var image = new Volume<float>(patch, Enumerable.Range(0, patch.Count).Select(_ => (float)random.NextDouble()).ToArray());

        var stages = DecoderStage.Capture(model, image, [3, 2], CPU);
        Assert.Equal([("low-level", 3), ("high-level", 3), ("low-level", 2), ("high-level", 2)], stages.Select(s => (s.Branch, s.Level)));
        var block7 = stages[1];
        Assert.Equal("block_seven", block7.Block);
        Assert.Equal(4, block7.Factor);                       // level 3: 1/4 of the input
        Assert.Equal(16, block7.Channels.Count);              // 4 filters · 2^(3 − 1)
        Assert.Equal(new Shape3(8, 8, 4), block7.Shape);

        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
        {
            var input = tensor(image.Data, [1, 1, patch.X, patch.Y, patch.Z]);
            var direct = model.HighDecoder!.DecodeTo(model.EncoderFeatures(input), 3);
            var channel5 = direct[0, 5].contiguous().data<float>().ToArray();
            Assert.Equal(channel5, block7.Channels[5].Data);
        }

        var mean = block7.MeanAbsolute();
        Assert.Equal(block7.Channels.Average(c => Math.Abs(c[2, 3, 1])), mean[2, 3, 1], 5);
        var strongest = block7.StrongestChannels(1, 3);
        Assert.Equal(3, strongest.Count);
        double Variance(int c) { var v = new List<double>(); for (int x = 0; x < 8; x++) for (int y = 0; y < 8; y++) v.Add(block7.Channels[c][x, y, 1]); double m = v.Average(); return v.Average(a => (a - m) * (a - m)); }
        Assert.True(Variance(strongest[0]) >= Variance(strongest[1]) && Variance(strongest[1]) >= Variance(strongest[2]));
        Assert.All(Enumerable.Range(0, 16).Except(strongest), c => Assert.True(Variance(c) <= Variance(strongest[2]) + 1e-9));
    }
}
