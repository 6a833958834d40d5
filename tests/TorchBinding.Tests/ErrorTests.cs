using TorchBinding;
using TorchBinding.Native;
using static TorchBinding.torch;
using F = TorchBinding.torch.nn.functional;

namespace TorchBinding.Tests;

/// <summary>Native failures become managed exceptions with useful messages; the process never crashes.</summary>
public class ErrorTests
{
    [Fact]
    public void ShapeMismatchCarriesLibtorchMessage()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => ones(2, 3) + ones(4, 5));
        Assert.Contains("must match the size", e.Message);
        Assert.DoesNotContain("Exception raised from", e.Message);
    }

    [Fact]
    public void ConvolutionWithWrongChannelsNamesTheShapes()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => F.conv3d(ones(1, 3, 4, 4, 4), ones(8, 2, 3, 3, 3)));
        Assert.Contains("channels", e.Message);
    }

    [Fact]
    public void WrongElementTypeIsRejectedBeforeCopying()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<InvalidOperationException>(() => ones(3).ToArray<double>());
        Assert.Contains("Float32", e.Message);
        Assert.Throws<TorchException>(() => F.cross_entropy(ones(2, 3), ones(2)));
    }

    [Fact]
    public void DisposedTensorCannotBeUsed()
    {
        var t = ones(2);
        t.Dispose();
        t.Dispose(); // twice is fine
        Assert.Throws<ObjectDisposedException>(() => t.sum());
    }

    [Fact]
    public void MissingNativeLibraryExplainsTheFix()
    {
        var folder = Path.Combine(Path.GetTempPath(), "no-shim-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<DllNotFoundException>(() => NativeLibraryLoader.LoadFirst([Path.Combine(folder, "libtorch_shim.so")]));
        Assert.Contains("environment/setup.sh", e.Message);
        Assert.Contains(folder, e.Message);
    }

    [Fact]
    public void BadArgumentsAreCaughtBeforeNativeCode()
    {
        Assert.Throws<ArgumentException>(() => zeros([2, -1]));
        Assert.Throws<ArgumentException>(() => tensor(new float[] { 1, 2, 3 }, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => F.dropout(ones(2), 1.5));
        Assert.Throws<ArgumentException>(() => Device.Parse("tpu"));
    }

    [Fact]
    public void BackwardWithoutGraphFails()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => ones(2).sum().backward());
        Assert.Contains("grad", e.Message);
    }
}
