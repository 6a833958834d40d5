using SasNet.Checkpoints;
using SasNet.Models;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SasNet.Tests.Models;

public class ChannelsLastTests
{
    private static readonly ModelConfig Config = ModelConfig.SasNet with { BaseFilters = 4 };

    /// <summary>Largest gradient error of the channels-last network, relative to the largest float64 gradient.</summary>
    private const double ChannelsLastTolerance = 5e-3;

    private static SasNetModel TwinOf(SasNetModel model)
    {
        var twin = new SasNetModel(model.Config);
        StateDicts.Load(twin, model.state_dict(), "the C-order model");
        return twin;
    }

    private static SasNetModel ChannelsLastTwinOf(SasNetModel model)
    {
        var twin = TwinOf(model);
        ChannelsLast.Apply(twin);
        return twin;
    }

    [Fact]
    public void ChannelsLastWeightsHaveChannelStrideOneAndTheSameValues()
    {
        manual_seed(3);
        using var reference = new SasNetModel(Config);
        using var model = ChannelsLastTwinOf(reference);
        var weights = model.named_parameters().Where(p => p.parameter.dim() == 5).ToList();
        Assert.NotEmpty(weights);
        var referenceWeights = reference.state_dict();
        foreach (var (name, weight) in weights)
        {
            if (weight.size(1) > 1) Assert.Equal(1, weight.stride(1));
            Assert.True(weight.allclose(referenceWeights[name], rtol: 0, atol: 0), name);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ForwardAndGradientsMatchTheCOrderNetwork(int threads)
    {
        int before = get_num_threads();
        set_num_threads(threads);
        try
        {
            CompareWithCOrder();
        }
        finally
        {
            set_num_threads(before);
        }
    }

    private static void CompareWithCOrder()
    {
        manual_seed(4);
        using var reference = new SasNetModel(Config);
        using var model = ChannelsLastTwinOf(reference);
        using var scope = NewDisposeScope();
        var image = randn([2, 1, 32, 32, 16]);
        var labels = image.select(1, 0).gt(0.3).to(ScalarType.Int64);

        reference.eval();
        model.eval();
        using (no_grad())
        {
            var (a, b) = (reference.call(image), model.call(image));
            foreach (var (x, y) in a.Branches.Zip(b.Branches))
            {
                Assert.True((x.Logits - y.Logits).abs().max().item<float>() < 1e-4, $"{x.Branch} logits differ");
                Assert.True((x.Tanh - y.Tanh).abs().max().item<float>() < 1e-4, $"{x.Branch} tanh differs");
            }
        }

        // Training mode (batch statistics; dropout off, so that both draw nothing at random), against float64.
        // libtorch's channels-last batch norm accumulates its statistics less exactly than its C-order one: a block's
        // ReLU outputs have large means, and the gradients come out within about 1e-3 of the largest one instead of
        // 1e-6 (the size of TF32's error, which PyTorch accepts by default for GPU convolutions). The bound below is
        // that precision; a wrong kernel (README: off by up to 60 %, or NaN) lies far beyond it.
        using var exact = TwinOf(reference);
        exact.to(ScalarType.Float64);
        var inputs = new Dictionary<SasNetModel, Tensor> { [reference] = image, [model] = image, [exact] = image.to(ScalarType.Float64) };
        foreach (var (network, input) in inputs)
        {
            network.train();
            foreach (var dropout in network.modules().OfType<TorchSharp.Modules.Dropout3d>()) dropout.eval();
            network.zero_grad();
            var output = network.call(input);
            output.Branches.Select(o => F.cross_entropy(o.Logits, labels) + o.Tanh.square().mean()).Aggregate((p, q) => p + q).backward();
        }
        static Dictionary<string, Tensor> Gradients(SasNetModel network) => network.named_parameters().ToDictionary(p => p.name, p => (p.parameter.grad ?? throw new InvalidOperationException($"{p.name} has no gradient")).to(ScalarType.Float64));
        var (inCOrder, inChannelsLast, truth) = (Gradients(reference), Gradients(model), Gradients(exact));
        // One scale for all: the biases in front of BatchNorm have an exact gradient of 0, so float32 noise is all they get.
        double scale = truth.Values.Max(g => g.abs().max().item<double>());
        var failures = new List<string>();
        foreach (var (name, expected) in truth)
        {
            double cOrderError = (inCOrder[name] - expected).abs().max().item<double>() / scale;
            double channelsLastError = (inChannelsLast[name] - expected).abs().max().item<double>() / scale;
            if (channelsLastError >= ChannelsLastTolerance || !(cOrderError < 1e-5))
                failures.Add($"{name}: channels-last gradient off by {channelsLastError:E2} of the largest gradient, C order by {cOrderError:E2}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void ChannelsLastWeightsAreSavedInCOrder()
    {
        manual_seed(5);
        using var reference = new SasNetModel(Config);
        using var model = ChannelsLastTwinOf(reference);
        var path = Path.Combine(Path.GetTempPath(), $"channels-last-{Guid.NewGuid():N}.safetensors");
        try
        {
            Safetensors.Save(path, model.state_dict());
            var (tensors, _) = Safetensors.Load(path);
            using var loaded = new SasNetModel(Config);
            StateDicts.Load(loaded, tensors, path);
            foreach (var (name, value) in reference.state_dict())
                Assert.True(value.allclose(loaded.state_dict()[name], rtol: 0, atol: 0), name);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
