using SasNet.Checkpoints;
using static TorchSharp.torch;

namespace SasNet.Tests.Checkpoints;

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
            ["flags"] = tensor(new[] { true, false }),
            ["empty"] = zeros([0, 4]),
        };
        Safetensors.Save(path, tensors, new Dictionary<string, string> { ["method"] = "SASNet" });
        var (loaded, metadata) = Safetensors.Load(path);
        Assert.Equal("SASNet", metadata["method"]);
        Assert.Equal(new long[] { 2, 3 }, loaded["w"].shape);
        Assert.Equal(tensors["w"].data<float>().ToArray(), loaded["w"].data<float>().ToArray());
        Assert.Equal(7L, loaded["count"].item<long>());
        Assert.Equal(new byte[] { 0, 1, 1 }, loaded["mask"].data<byte>().ToArray());
        Assert.Equal(ScalarType.Bool, loaded["flags"].dtype);
        Assert.Equal(new[] { true, false }, loaded["flags"].data<bool>().ToArray());
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

        Assert.Throws<FileNotFoundException>(() => Safetensors.Load(Path.Combine(folder, "absent.safetensors")));
    }

    [Fact]
    public void StateDictLoadingNamesEveryMismatchAndChangesNothing()
    {
        using var scope = NewDisposeScope();
        using var model = nn.Conv3d(1, 2, 3);
        var before = model.weight.clone();
        var state = new Dictionary<string, Tensor>
        {
            ["weight"] = ones([4, 1, 3, 3, 3]),           // wrong shape
            ["bias"] = zeros([2], ScalarType.Float64),      // wrong dtype
            ["extra"] = zeros([1]),                         // not in the model
        };
        var e = Assert.Throws<ArgumentException>(() => StateDicts.Load(model, state, "checkpoint 'x.safetensors'"));
        Assert.StartsWith("checkpoint 'x.safetensors'", e.Message);
        Assert.Contains("'weight' has shape [4, 1, 3, 3, 3] but the model expects [2, 1, 3, 3, 3]", e.Message);
        Assert.Contains("'bias' has dtype Float64 but the model expects Float32", e.Message);
        Assert.Contains("unexpected entry 'extra'", e.Message);
        Assert.Equal(before.data<float>().ToArray(), model.weight.data<float>().ToArray());

        var missing = Assert.Throws<ArgumentException>(() => StateDicts.Load(model, new Dictionary<string, Tensor> { ["weight"] = ones([2, 1, 3, 3, 3]) }, "m"));
        Assert.Contains("missing entry 'bias'", missing.Message);
        Assert.Equal(before.data<float>().ToArray(), model.weight.data<float>().ToArray());

        StateDicts.Load(model, new Dictionary<string, Tensor> { ["weight"] = ones([2, 1, 3, 3, 3]), ["bias"] = zeros([2]) }, "m");
        Assert.Equal(54.0, model.weight.sum().item<float>());
    }

    [Fact]
    public void FailedWriteLeavesTheOldCheckpointIntact()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(folder, "keep.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["w"] = ones(3) });
        var disposed = ones(2);
        disposed.Dispose();
        Assert.ThrowsAny<Exception>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["v"] = ones(5), ["w"] = disposed }));
        Assert.Equal(new float[] { 1, 1, 1 }, Safetensors.Load(path).tensors["w"].data<float>().ToArray());
        Assert.Single(Directory.GetFiles(folder));
    }
}

/// <summary>Our safetensors files read correctly in Python (an independent json+numpy reader), and Python-written files load here.</summary>
public sealed class SafetensorsInteropTests : IDisposable
{
    private const string Script = "safetensors_interop.py";
    private readonly string folder = Directory.CreateTempSubdirectory("st-interop-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [PythonFact(Script, "numpy")]
    public void PythonReadsWhatWeWrite()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(folder, "ours.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor>
        {
            ["w"] = arange(0, 24, dtype: ScalarType.Float32).reshape(2, 3, 4),
            ["steps"] = full([], 5, ScalarType.Int64),
            ["mask"] = tensor(new byte[] { 1, 0, 1 }),
        }, new Dictionary<string, string> { ["iteration"] = "42" });
        var (code, output) = PythonReference.Run(PythonReference.Script(Script)!, "check", path);
        Assert.True(code == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("mask U8 [3] 2.0", lines);
        Assert.Contains("steps I64 [] 5.0", lines);
        Assert.Contains("w F32 [2, 3, 4] 276.0", lines);
        Assert.Contains("metadata {\"iteration\": \"42\"}", lines);
    }

    [PythonFact(Script, "numpy")]
    public void WeReadWhatPythonWrites()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(folder, "theirs.safetensors");
        var (code, output) = PythonReference.Run(PythonReference.Script(Script)!, "write", path);
        Assert.True(code == 0, output);
        var (tensors, _) = Safetensors.Load(path);
        Assert.Equal(new long[] { 2, 3 }, tensors["a"].shape);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, tensors["a"].data<float>().ToArray());
        Assert.Equal(new long[] { 7, -3 }, tensors["b"].data<long>().ToArray());
    }
}
