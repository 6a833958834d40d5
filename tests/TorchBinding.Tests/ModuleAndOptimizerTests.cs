using TorchBinding;
using static TorchBinding.torch;

namespace TorchBinding.Tests;

public class ModuleAndOptimizerTests
{
    private static nn.Sequential SmallNet() => new(
        new nn.Conv3d(1, 4, 3, padding: 1),
        new nn.BatchNorm3d(4),
        new nn.ReLU(inplace: true),
        new nn.Conv3d(4, 2, 1));

    [Fact]
    public void StateDictNamesFollowPyTorch()
    {
        using var net = SmallNet();
        var names = net.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[]
        {
            "0.bias", "0.weight", "1.bias", "1.num_batches_tracked", "1.running_mean", "1.running_var", "1.weight", "3.bias", "3.weight",
        }, names);
        Assert.Equal(1 * 4 * 27 + 4 + 4 + 4 + 4 * 2 + 2, net.parameter_count());
    }

    [Fact]
    public void LoadStateDictValidatesEverythingFirst()
    {
        using var a = SmallNet();
        using var b = SmallNet();
        b.load_state_dict(a.state_dict());
        Assert.Equal(a.state_dict()["0.weight"].ToArray<float>(), b.state_dict()["0.weight"].ToArray<float>());

        using var scope = NewDisposeScope();
        var wrong = new Dictionary<string, Tensor>(a.state_dict()) { ["0.weight"] = zeros(4, 1, 5, 5, 5) };
        wrong.Remove("3.bias");
        var before = b.state_dict()["3.weight"].ToArray<float>();
        var e = Assert.Throws<ArgumentException>(() => b.load_state_dict(wrong));
        Assert.Contains("'0.weight' has shape [4, 1, 5, 5, 5]", e.Message);
        Assert.Contains("missing entry '3.bias'", e.Message);
        Assert.Equal(before, b.state_dict()["3.weight"].ToArray<float>());
    }

    [Fact]
    public void BatchNormUsesBatchStatisticsOnlyInTraining()
    {
        using var bn = new nn.BatchNorm3d(1);
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 3, 5, 7, 9, 11, 13, 15 }, 1, 1, 2, 2, 2);
        var trained = bn.forward(x);
        Assert.Equal(0, trained.mean().ToDouble(), 5);
        Assert.Equal(0.8f, bn.running_mean.ToSingle(), 4); // 0.9·0 + 0.1·8
        Assert.Equal(1L, bn.num_batches_tracked.item<long>());
        bn.eval();
        var evaluated = bn.forward(x);
        TestSupport.AssertClose(x.ToArray<float>().Select(v => (v - 0.8) / Math.Sqrt(bn.running_var.ToDouble() + 1e-5)).ToArray(),
            evaluated.to(float64).ToArray<double>(), 1e-4);
    }

    [Fact]
    public void DropoutIsIdentityInEvaluation()
    {
        using var drop = new nn.Dropout3d(0.5);
        using var scope = NewDisposeScope();
        var x = ones(2, 8, 2, 2, 2);
        drop.eval();
        Assert.Equal(x.ToArray<float>(), drop.forward(x).ToArray<float>());
        drop.train();
        var y = drop.forward(x).ToArray<float>();
        Assert.All(y, v => Assert.True(v == 0 || v == 2));
    }

    [Fact]
    public void SgdFollowsPyTorchMomentumAndWeightDecay()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(tensor(new double[] { 1.0, -2.0 }));
        using var sgd = new optim.SGD([p], lr: 0.1, momentum: 0.9, weight_decay: 0.01);
        double[] w = [1.0, -2.0], buf = [0, 0];
        for (int step = 0; step < 3; step++)
        {
            sgd.zero_grad();
            (p * p).sum().backward(); // grad = 2w
            sgd.step();
            for (int i = 0; i < 2; i++)
            {
                double g = 2 * w[i] + 0.01 * w[i];
                buf[i] = step == 0 ? g : 0.9 * buf[i] + g;
                w[i] -= 0.1 * buf[i];
            }
        }
        TestSupport.AssertClose(w, p.ToArray<double>(), 1e-12);
        p.Dispose();
    }

    [Fact]
    public void AdamFollowsPyTorchBiasCorrection()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(tensor(new double[] { 0.5 }));
        using var adam = new optim.Adam([p], lr: 0.01, beta1: 0.9, beta2: 0.99);
        double w = 0.5, m = 0, v = 0;
        for (int t = 1; t <= 4; t++)
        {
            adam.zero_grad();
            (p * p * p).sum().backward(); // grad = 3w²
            adam.step();
            double g = 3 * w * w;
            m = 0.9 * m + 0.1 * g;
            v = 0.99 * v + 0.01 * g * g;
            w -= 0.01 * (m / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v / (1 - Math.Pow(0.99, t))) + 1e-8);
        }
        Assert.Equal(w, p.ToDouble(), 10);
        p.Dispose();
    }

    [Fact]
    public void StepLrDecays()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(ones(1));
        using var sgd = new optim.SGD([p], lr: 0.01);
        var schedule = new optim.lr_scheduler.StepLR(sgd, 2500, 0.1);
        for (int i = 0; i < 2500; i++) schedule.step();
        Assert.Equal(0.001, sgd.LearningRate, 12);
        schedule.SetEpoch(5000);
        Assert.Equal(0.0001, sgd.LearningRate, 12);
        p.Dispose();
    }
}
