using TorchBinding;
using TorchBinding.Serialization;
using static TorchBinding.torch;

namespace TorchBinding.Tests;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("safetensors-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void RoundTripKeepsNamesShapesTypesValuesAndMetadata()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(folder, "a.safetensors");
        var tensors = new Dictionary<string, Tensor>
        {
            ["w"] = arange(0, 6, dtype: ScalarType.Float32).reshape(2, 3),
            ["count"] = full([], 7, ScalarType.Int64),
            ["mask"] = tensor(new byte[] { 0, 1, 1 }),
            ["empty"] = zeros([0, 4]),
        };
        Safetensors.Save(path, tensors, new Dictionary<string, string> { ["method"] = "SASNet" });
        var (loaded, metadata) = Safetensors.Load(path);
        Assert.Equal("SASNet", metadata["method"]);
        Assert.Equal(new long[] { 2, 3 }, loaded["w"].shape);
        Assert.Equal(tensors["w"].ToArray<float>(), loaded["w"].ToArray<float>());
        Assert.Equal(7L, loaded["count"].item<long>());
        Assert.Equal(new byte[] { 0, 1, 1 }, loaded["mask"].ToArray<byte>());
        Assert.Equal(new long[] { 0, 4 }, loaded["empty"].shape);
        Assert.Single(Directory.GetFiles(folder)); // no temporary file left behind
        // Format: 8-byte little-endian header length, then a JSON header, data aligned to 8 bytes.
        var bytes = File.ReadAllBytes(path);
        long headerLength = BitConverter.ToInt64(bytes, 0);
        Assert.Equal(0, headerLength % 8);
        Assert.Equal((byte)'{', bytes[8]);
    }

    [Fact]
    public void TruncatedOrCorruptFilesAreRejectedWithTheFileName()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(folder, "b.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["w"] = ones(100) });
        var bytes = File.ReadAllBytes(path);

        var truncated = Path.Combine(folder, "truncated.safetensors");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 10)]);
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(truncated));
        Assert.Contains("truncated.safetensors", e.Message);
        Assert.Contains("outside", e.Message);

        var garbage = Path.Combine(folder, "garbage.safetensors");
        File.WriteAllBytes(garbage, [1, 2, 3]);
        Assert.Contains("fewer than", Assert.Throws<InvalidDataException>(() => Safetensors.Load(garbage)).Message);

        var badJson = Path.Combine(folder, "json.safetensors");
        var corrupt = (byte[])bytes.Clone();
        corrupt[9] = (byte)'!';
        File.WriteAllBytes(badJson, corrupt);
        Assert.Contains("JSON", Assert.Throws<InvalidDataException>(() => Safetensors.Load(badJson)).Message);
    }

    [Fact]
    public void ModuleCheckpointValidatesAgainstTheModel()
    {
        var path = Path.Combine(folder, "model.safetensors");
        using var small = new nn.Conv3d(1, 2, 3);
        small.save(path);
        using var same = new nn.Conv3d(1, 2, 3);
        same.load(path);
        Assert.Equal(small.weight.ToArray<float>(), same.weight.ToArray<float>());
        using var other = new nn.Conv3d(1, 4, 3);
        var e = Assert.Throws<ArgumentException>(() => other.load(path));
        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains("'weight' has shape [2, 1, 3, 3, 3]", e.Message);
    }

    [Fact]
    public void FailedWriteLeavesTheOldCheckpointIntact()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(folder, "keep.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["w"] = ones(3) });
        var disposed = ones(2);
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["w"] = disposed }));
        Assert.Equal(new float[] { 1, 1, 1 }, Safetensors.Load(path).tensors["w"].ToArray<float>());
        Assert.Single(Directory.GetFiles(folder));
    }
}
