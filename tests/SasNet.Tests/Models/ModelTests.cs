using SasNet.Geometry;
using SasNet.Models;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasNet.Tests.Models;

public class ModelTests
{
    private static readonly ModelConfig Tiny = new(BaseFilters: 4);

    [Fact]
    public void VNetMapsAPatchToClassLogits()
    {
        using var scope = NewDisposeScope();
        using var net = new VNet(Tiny);
        net.eval();
        var y = net.forward(randn([2, 1, 16, 16, 32]));
        Assert.Equal(new long[] { 2, 2, 16, 16, 32 }, y.shape);
    }

    [Fact]
    public void DecodeToStopsAtTheAskedStageAndItsFullDepthFeedsTheHeads()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var net = new SasNetModel(Tiny);
        net.eval();
        var input = randn([1, 1, 32, 32, 16]);
        var features = net.EncoderFeatures(input);
        foreach (var decoder in new[] { net.HighDecoder!, net.LowDecoder! })
        {
            // Level 3 (block_seven) works at 1/4 of the input with 4·f channels; level 2 at 1/2 with 2·f.
            Assert.Equal(new long[] { 1, 16, 8, 8, 4 }, decoder.DecodeTo(features, 3).shape);
            Assert.Equal(new long[] { 1, 8, 16, 16, 8 }, decoder.DecodeTo(features, 2).shape);
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => decoder.DecodeTo(features, 5));
            Assert.Contains("levels 4", error.Message);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => net.HighDecoder!.DecodeTo(features, 0));
        Assert.Equal("block_seven", VNetDecoder.BlockName(3));

        // The heads read the level-1 output: the segmentation head applied to it gives forward's logits.
        var output = net.call(input);
        var head = (TorchSharp.Modules.Conv3d)net.HighDecoder!.named_children().First(c => c.name == "out_conv2").module;
        var logits = head.call(net.HighDecoder!.DecodeTo(features, 1));
        Assert.True((logits - output.High!.Logits).abs().max().ToDouble() < 1e-5);
    }

    [Theory]
    [InlineData(DecoderBranches.Both, 4, UpsamplingMode.TransposedConv, NormalizationKind.Batch)]
    [InlineData(DecoderBranches.Both, 3, UpsamplingMode.Trilinear, NormalizationKind.Instance)]
    [InlineData(DecoderBranches.High, 4, UpsamplingMode.TransposedConv, NormalizationKind.None)]
    [InlineData(DecoderBranches.Low, 3, UpsamplingMode.TransposedConv, NormalizationKind.Batch)]
    public void SasNetGivesLogitsAndTanhPerBranch(DecoderBranches branches, int depth, UpsamplingMode up, NormalizationKind norm)
    {
        using var scope = NewDisposeScope();
        using var net = new SasNetModel(Tiny with { Branches = branches, LowDecoderDepth = depth, Upsampling = up, Normalization = norm });
        net.train();
        var output = net.call(randn([2, 1, 16, 32, 16]));
        int expected = branches == DecoderBranches.Both ? 2 : 1;
        Assert.Equal(expected, output.Branches.Count);
        Assert.Equal(branches != DecoderBranches.High, output.Low is not null);
        Assert.Equal(branches != DecoderBranches.Low, output.High is not null);
        foreach (var b in output.Branches)
        {
            Assert.Equal(new long[] { 2, 2, 16, 32, 16 }, b.Logits.shape);
            Assert.Equal(new long[] { 2, 2, 16, 32, 16 }, b.Tanh.shape);
            Assert.True(b.Tanh.abs().max().ToDouble() <= 1.0);
            Assert.Equal(new long[] { 2, 16, 32, 16 }, b.SdmPrediction().shape);
        }
    }

    [Fact]
    public void GroupNormWorksWithSixteenFilters()
    {
        using var scope = NewDisposeScope();
        using var net = new VNet(new ModelConfig(Normalization: NormalizationKind.Group));
        net.eval();
        Assert.Equal(new long[] { 1, 2, 16, 16, 16 }, net.forward(randn([1, 1, 16, 16, 16])).shape);
    }

    [Fact]
    public void SassNetAndDiscriminatorShapes()
    {
        using var scope = NewDisposeScope();
        using var net = new SassNetModel(ModelConfig.SassNet with { BaseFilters = 4 });
        using var d = new SassNetDiscriminator(baseFilters: 8);
        var image = randn([2, 1, 16, 16, 32]);
        var output = net.call(image);
        Assert.Equal(new long[] { 2, 1, 16, 16, 32 }, output.SegmentationLogits.shape);
        Assert.Equal(new long[] { 2, 1, 16, 16, 32 }, output.Tanh.shape);
        var logits = d.forward(output.Tanh, image);
        Assert.Equal(new long[] { 2, 2 }, logits.shape);
    }

    // Parameter counts, computed by hand from the layer list (conv: Cout·Cin·k³ + Cout; transposed conv: Cin·Cout·k³ + Cout;
    // BatchNorm: 2C). Encoder 7 376 896; full decoder 2 071 938 without head; heads 34 each (2 classes, 16 filters).
    [Fact]
    public void ParameterCountsMatchThePyTorchModels()
    {
        using var vnet = new VNet(new ModelConfig(Branches: DecoderBranches.High));
        Assert.Equal(9_448_866, vnet.parameters().Sum(p => p.numel()));

        using var sasnet = new SasNetModel();
        Assert.Equal(11_258_376, sasnet.parameters().Sum(p => p.numel())); // paper Table 11: 11.26 M

        using var official = new SasNetModel(ModelConfig.SasNet with { KeepOfficialUnusedBlock = true });
        Assert.Equal(11_520_904, official.parameters().Sum(p => p.numel())); // official model counted in PyTorch: 11.52 M

        using var depth3 = new SasNetModel(ModelConfig.SasNet with { LowDecoderDepth = 3 });
        Assert.Equal(9_864_392, depth3.parameters().Sum(p => p.numel()));

        using var sassnet = new SassNetModel();
        Assert.Equal(9_448_866, sassnet.parameters().Sum(p => p.numel())); // two 1-channel heads = one 2-channel head

        using var discriminator = new SassNetDiscriminator();
        Assert.Equal(11_020_290, discriminator.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void StateDictNamesFollowTheOfficialCode()
    {
        using var vnet = new VNet(Tiny);
        var names = vnet.state_dict().Keys.ToHashSet();
        Assert.Contains("block_one.conv.0.weight", names);
        Assert.Contains("block_one.conv.1.running_var", names);
        Assert.Contains("block_two.conv.3.weight", names); // second conv of a 2-stage block: Conv, BN, ReLU, Conv
        Assert.Contains("block_four_dw.conv.0.weight", names);
        Assert.Contains("block_five_up.conv.0.weight", names);
        Assert.Contains("block_nine.conv.1.num_batches_tracked", names);
        Assert.Contains("out_conv.bias", names);
        Assert.Equal(new long[] { 64, 32, 2, 2, 2 }, vnet.state_dict()["block_five_up.conv.0.weight"].shape);

        using var sasnet = new SasNetModel(Tiny with { KeepOfficialUnusedBlock = true });
        var sas = sasnet.state_dict().Keys.ToHashSet();
        Assert.Contains("encoder.block_five.conv.6.weight", sas);
        Assert.Contains("decoder3.block_five_up.conv.0.weight", sas);
        Assert.Contains("decoder2.block_five_up.conv.0.weight", sas);
        Assert.Contains("decoder2.block_six.conv.0.weight", sas);
        Assert.Contains("decoder2.out_conv2.weight", sas);
        Assert.Contains("decoder3.out_conv.weight", sas);

        using var trilinear = new VNet(Tiny with { Upsampling = UpsamplingMode.Trilinear, Normalization = NormalizationKind.None });
        var t = trilinear.state_dict().Keys.ToHashSet();
        Assert.Contains("block_five_up.conv.1.weight", t); // Upsample at 0, Conv3d at 1
        Assert.Contains("block_two.conv.2.weight", t);     // no norm: Conv, ReLU, Conv
    }

    [Fact]
    public void StateDictRoundTripsBetweenModelsByName()
    {
        using var scope = NewDisposeScope();
        using var a = new SasNetModel(Tiny);
        using var b = new SasNetModel(Tiny);
        b.load_state_dict(a.state_dict());
        a.eval(); b.eval();
        var x = randn([1, 1, 16, 16, 16]);
        var ya = a.call(x);
        var yb = b.call(x);
        Assert.True(allclose(ya.High!.Logits, yb.High!.Logits));
        Assert.True(allclose(ya.Low!.Tanh, yb.Low!.Tanh));
    }

    [Fact]
    public void BadConfigurationsAreRejectedWithClearMessages()
    {
        var e1 = Assert.Throws<ArgumentException>(() => new ModelConfig(LowDecoderDepth: 2).Validate());
        Assert.Contains("LowDecoderDepth must be 3 or 4", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => new ModelConfig(BaseFilters: 8, Normalization: NormalizationKind.Group).Validate());
        Assert.Contains("multiple of 16", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => new ModelConfig(InChannels: 0, Classes: 0).Validate());
        Assert.Contains("InChannels", e3.Message);
        Assert.Contains("Classes", e3.Message);
        Assert.Throws<ArgumentException>(() => new SasNetModel(new ModelConfig(Branches: DecoderBranches.High, KeepOfficialUnusedBlock: true)));

        var e4 = Assert.Throws<ArgumentException>(() => ModelConfig.ValidatePatch(new Shape3(112, 112, 72)));
        Assert.Contains("112×112×72", e4.Message);
        Assert.Contains("Z = 72", e4.Message);

        using var scope = NewDisposeScope();
        using var net = new VNet(Tiny);
        var e5 = Assert.Throws<ArgumentException>(() => net.forward(zeros([1, 1, 16, 24, 16])));
        Assert.Contains("16×24×16", e5.Message);
    }

    [Fact]
    public void OneSgdStepReducesTheLossOfEachModel()
    {
        manual_seed(7);
        using var scope = NewDisposeScope();
        var image = randn([2, 1, 16, 16, 16]);
        var label = image.select(1, 0).gt(0.3).to(ScalarType.Int64);

        using (var vnet = new VNet(Tiny with { HasDropout = false }))
            AssertStepHelps(vnet, () => F.cross_entropy(vnet.forward(image), label));

        using (var sasnet = new SasNetModel(Tiny with { HasDropout = false }))
            AssertStepHelps(sasnet, () =>
            {
                var o = sasnet.call(image);
                return F.cross_entropy(o.Low!.Logits, label) + F.cross_entropy(o.High!.Logits, label) + o.High.Tanh.square().mean();
            });

        using (var sassnet = new SassNetModel(ModelConfig.SassNet with { BaseFilters = 4, HasDropout = false }))
            AssertStepHelps(sassnet, () =>
            {
                var o = sassnet.call(image);
                return F.binary_cross_entropy_with_logits(o.SegmentationLogits.squeeze(1), label.to(ScalarType.Float32));
            });

        using (var d = new SassNetDiscriminator(baseFilters: 4))
        {
            d.eval(); // no dropout, so the two evaluations see the same network
            var sdm = image.tanh();
            var target = tensor(new long[] { 1, 0 });
            AssertStepHelps(d, () => F.cross_entropy(d.forward(sdm, image), target));
        }
    }

    private static void AssertStepHelps(nn.Module model, Func<Tensor> loss)
    {
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        double before;
        using (var inner = NewDisposeScope())
        {
            var l = loss();
            before = l.ToDouble();
            optimizer.zero_grad();
            l.backward();
            optimizer.step();
        }
        double after;
        using (no_grad())
        using (var inner = NewDisposeScope())
            after = loss().ToDouble();
        Assert.True(after < before, $"{model.GetName()}: loss {before} → {after}");
    }
}
