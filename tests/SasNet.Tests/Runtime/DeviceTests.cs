using SasNet.Training;
using static TorchSharp.torch;

namespace SasNet.Tests.Runtime;

public class DeviceTests
{
    [Fact]
    public void DeviceNamesAreCheckedAndCudaWithoutABackendIsAClearError()
    {
        Assert.Null(TorchDevices.Problem("cpu"));
        Assert.Null(TorchDevices.Problem("cuda:1"));
        Assert.Contains("'gpu' is not one of cpu, cuda, cuda:N", TorchDevices.Problem("gpu"));
        Assert.Contains("'gpu'", Assert.Throws<ArgumentException>(() => (ExperimentConfig.Create(TrainingMethod.VNet) with { Device = "gpu" }).Validate()).Message);
        Assert.Equal(TorchSharp.DeviceType.CPU, TorchDevices.Resolve("cpu").type);
        if (cuda.is_available()) return; // a CUDA build on a GPU machine resolves it
        var e = Assert.Throws<InvalidOperationException>(() => TorchDevices.Resolve("cuda"));
        Assert.Contains("no usable CUDA backend", e.Message);
        Assert.Contains("TorchBackend=cuda", e.Message);
    }
}
