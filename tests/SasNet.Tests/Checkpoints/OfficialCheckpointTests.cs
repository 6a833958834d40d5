using System.Runtime.InteropServices;
using System.Text.Json;
using Xunit.Abstractions;
using SasNet.Checkpoints;
using SasNet.Models;
using SasNet.Training;
using static TorchSharp.torch;

namespace SasNet.Tests.Checkpoints;

/// <summary>
/// Checkpoints written by PyTorch from models with the official layer names (tests/reference/official_models.py, an
/// independent PyTorch implementation) load into the kit's models, and the C# forward on the same input matches
/// PyTorch's in evaluation mode, both branches and both heads.
/// </summary>
public sealed class OfficialCheckpointTests(ITestOutputHelper log) : IDisposable
{
    private const string Script = "official_models.py";
    private const double Tolerance = 1e-4;
    private readonly string folder = Directory.CreateTempSubdirectory("official-pth-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>What the reference script wrote: the checkpoint, and the input and outputs by name (manifest shapes).</summary>
    private sealed record ReferenceRun(string Folder, JsonElement Manifest)
    {
        public string Checkpoint => Path.Combine(Folder, "model.pth");

        public Tensor Read(string name)
        {
            var shape = (name == "input" ? Manifest.GetProperty("input_shape") : Manifest.GetProperty("outputs").GetProperty(name))
                .EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var values = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(Folder, name + ".f32"))).ToArray();
            return tensor(values, shape);
        }
    }

    private ReferenceRun Write(string model, int filters, params int[] size)
    {
        var output = Path.Combine(folder, model);
        var (code, text) = PythonReference.Run(PythonReference.Script(Script)!, "write", "--model", model, "--filters", filters.ToString(),
            "--size", size[0].ToString(), size[1].ToString(), size[2].ToString(), "--seed", "3", "--out", output);
        Assert.True(code == 0, text);
        return new ReferenceRun(output, JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json"))).RootElement);
    }

    private void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double difference = (expected - actual).abs().max().item<float>();
        log.WriteLine($"{what}: largest difference {difference:E2} (values up to {expected.abs().max().item<float>():F3})");
        Assert.True(difference < Tolerance, $"{what}: C# and PyTorch differ by {difference:E2} (tolerance {Tolerance:E0})");
    }

    [PythonFact(Script, "torch", "numpy")]
    public void SasNetForwardMatchesPyTorchOnTheSameWeights()
    {
        using var scope = NewDisposeScope();
        var reference = Write("sasnet", 4, 32, 32, 16);
        var checkpoint = PyTorchCheckpoints.Read(reference.Checkpoint);
        Assert.Equal(TrainingMethod.SasNet, checkpoint.Method);
        Assert.Equal(new ModelConfig(BaseFilters: 4), checkpoint.Model);
        Assert.Contains(checkpoint.Notes, n => n.Contains("block_five_up", StringComparison.Ordinal));

        using var model = new SasNetModel(checkpoint.Model);
        checkpoint.LoadInto(model);
        model.eval();
        using var noGrad = no_grad();
        var output = model.call(reference.Read("input"));
        AssertClose(reference.Read("seg_high"), output.High!.Logits, "high-level segmentation head");
        AssertClose(reference.Read("seg_low"), output.Low!.Logits, "low-level segmentation head");
        AssertClose(reference.Read("tanh_high"), output.High!.Tanh, "high-level regression head");
        AssertClose(reference.Read("tanh_low"), output.Low!.Tanh, "low-level regression head");

        // The kit's model with the official unused block counts the parameters PyTorch counts for the official model.
        using var official = new SasNetModel(checkpoint.Model with { KeepOfficialUnusedBlock = true });
        Assert.Equal(reference.Manifest.GetProperty("parameters").GetInt64(), official.parameters().Sum(p => p.numel()));
    }

    [PythonFact(Script, "torch", "numpy")]
    public void VNetForwardMatchesPyTorchOnTheSameWeights()
    {
        using var scope = NewDisposeScope();
        var reference = Write("vnet", 4, 32, 16, 32);
        var checkpoint = PyTorchCheckpoints.Read(reference.Checkpoint);
        Assert.Equal(TrainingMethod.VNet, checkpoint.Method);
        Assert.Equal(ModelConfig.VNet with { BaseFilters = 4 }, checkpoint.Model);

        using var model = new VNet(checkpoint.Model);
        checkpoint.LoadInto(model);
        model.eval();
        using var noGrad = no_grad();
        AssertClose(reference.Read("logits"), model.call(reference.Read("input")), "V-Net logits");
    }

    [PythonFact(Script, "torch", "numpy")]
    public void MismatchedOrDamagedCheckpointsGiveClearErrors()
    {
        using var scope = NewDisposeScope();
        var path = Write("sasnet", 4, 16, 16, 16).Checkpoint;
        var checkpoint = PyTorchCheckpoints.Read(path);

        // Weights of 4 filters into a model of 8: every shape is named.
        using var wider = new SasNetModel(checkpoint.Model with { BaseFilters = 8 });
        var e = Assert.Throws<ArgumentException>(() => checkpoint.LoadInto(wider));
        Assert.Contains("model.pth", e.Message);
        Assert.Contains("'encoder.block_one.conv.0.weight' has shape [4, 1, 3, 3, 3] but the model expects [8, 1, 3, 3, 3]", e.Message);

        // A V-Net cannot take SASNet's weights.
        using var vnet = new VNet(ModelConfig.VNet with { BaseFilters = 4 });
        var wrongModel = Assert.Throws<ArgumentException>(() => checkpoint.LoadInto(vnet)).Message;
        Assert.Contains($"{checkpoint.State.Count} unexpected entries: 'decoder2.block_eight.conv.0.bias'", wrongModel);
        Assert.Contains($"{vnet.state_dict().Count} missing entries: 'block_eight.conv.0.bias'", wrongModel);

        var truncated = Path.Combine(folder, "truncated.pth");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var damaged = Assert.Throws<InvalidDataException>(() => PyTorchCheckpoints.Read(truncated));
        Assert.Contains("truncated.pth", damaged.Message);

        var text = Path.Combine(folder, "notes.pth");
        File.WriteAllText(text, "not a checkpoint");
        Assert.Contains("notes.pth", Assert.Throws<InvalidDataException>(() => PyTorchCheckpoints.Read(text)).Message);
    }
}
