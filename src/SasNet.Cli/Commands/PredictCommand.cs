using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SasNet.Data.IO;
using SasNet.Geometry;
using SasNet.Training;
using TorchSharp;

namespace SasNet.Cli.Commands;

/// <summary>
/// <c>sasnet predict</c>: segments one volume with a trained run (its config.json and checkpoint), using the
/// run's patch and stride for sliding-window inference (docs/method.md §8), and writes the mask.
/// </summary>
internal static class PredictCommand
{
    // Volume formats by file-name ending, longest first so ".nii.gz" wins over ".gz".
    private static readonly string[] NiftiEndings = [".nii.gz", ".nii"];
    private static readonly string[] Hdf5Endings = [".h5", ".hdf5"];
    private static readonly string[] NrrdEndings = [".nrrd", ".nhdr"];

    /// <summary>Dataset of the image read from an HDF5 input (the kit's case layout).</summary>
    public const string Hdf5ImageDataset = "image";
    /// <summary>Dataset of the mask in an HDF5 output (the kit's case layout, so it reads back as a label).</summary>
    public const string Hdf5MaskDataset = "label";
    /// <summary>Dataset of the foreground probability in an HDF5 probability output.</summary>
    public const string Hdf5ProbabilityDataset = "probability";

    public static Command Create()
    {
        var run = new Option<string?>("--run") { Description = "a run folder (config.json and best/last.safetensors)" };
        var weights = new Option<string?>("--weights") { Description = "instead of --run: a PyTorch state dict (.pth) from the official SASNet, SASSNet or V-Net code" };
        var dataset = new Option<string>("--dataset") { Description = "with --weights: la, pancreas or brats, whose paper patch and stride are used", DefaultValueFactory = _ => "la" };
        var input = new Option<string>("--input") { Description = "image to segment: .nii, .nii.gz, .h5 (dataset 'image') or .nrrd", Required = true };
        var output = new Option<string>("--output") { Description = "mask to write: .nii, .nii.gz, .h5 (dataset 'label') or .nrrd", Required = true };
        var checkpoint = new Option<string>("--checkpoint") { Description = "with --run: best (on validation) or last", DefaultValueFactory = _ => "best" };
        checkpoint.AcceptOnlyFromAmong("best", "last");
        var largest = new Option<bool>("--largest-component") { Description = "keep only the largest connected component of the mask" };
        var probability = new Option<string?>("--probability") { Description = "also write the foreground probability (float) to this file" };
        var device = new Option<string?>("--device") { Description = "cpu, cuda or cuda:N (default: the run's device)" };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads (default: all cores)" };
        var command = new Command("predict", "Segment one volume with a trained run (sliding window with the run's patch and stride).")
            { run, weights, dataset, input, output, checkpoint, largest, probability, device, threads };
        command.SetAction(parse =>
        {
            var report = parse.InvocationConfiguration.Output;
            var inputPath = parse.GetValue(input)!;
            var outputPath = parse.GetValue(output)!;
            var probabilityPath = parse.GetValue(probability);

            // Every argument is checked before the network is built, so a typo costs no time.
            var source = ModelSource.Resolve(parse.GetValue(run), parse.GetValue(weights), parse.GetValue(checkpoint)!,
                ExperimentOptionsParsing.ParseEnum<DatasetKind>(parse.GetValue(dataset)!, "--dataset"), null, false, parse.InvocationConfiguration.Error);
            var config = source.Config;
            if (parse.GetValue(device) is { } deviceName) config = config with { Device = deviceName };
            if (SasNet.Training.TorchDevices.Problem(config.Device) is { } deviceProblem) throw new CliUsageException($"--device: {deviceProblem}");
            if (!File.Exists(inputPath)) throw new CliUsageException($"--input: file '{inputPath}' does not exist");
            var inputFormat = FormatOf(inputPath, "--input");
            FormatOf(outputPath, "--output");
            if (probabilityPath is not null) FormatOf(probabilityPath, "--probability");
            if (parse.GetValue(threads) is { } count)
            {
                if (count < 1) throw new CliUsageException($"--threads: must be at least 1, got {count}");
                torch.set_num_threads(count);
            }

            var (image, niftiHeader) = ReadImage(inputPath, inputFormat);
            RequireThreeDimensional(image.Shape, inputPath);
            VolumeChecks.RequireFinite(image, inputPath, inputFormat == VolumeFormat.Hdf5 ? Hdf5ImageDataset : "voxel data");

            var clock = Stopwatch.StartNew();
            using var method = TrainingMethods.Create(config);
            source.Load(method);
            method.Network.eval();
            var window = new SlidingWindowOptions(config.PatchSize, config.EvaluationStride) { KeepLargestComponent = parse.GetValue(largest) };
            var result = SlidingWindow.Predict(image, method.CreatePredictor(2), window);
            // The mask takes the input's grid, so it overlays the image in any viewer.
            var mask = new Volume<byte>(image.Shape, result.Mask.Data, image.Spacing);
            WriteVolume(outputPath, mask, niftiHeader, Hdf5MaskDataset);
            if (probabilityPath is not null)
                WriteVolume(probabilityPath, new Volume<float>(image.Shape, result.Probability.Data, image.Spacing), niftiHeader, Hdf5ProbabilityDataset);

            long foreground = mask.Data.Count(v => v != 0);
            report.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{source.Label}: {inputPath} {image.Shape.X}×{image.Shape.Y}×{image.Shape.Z}, " +
                $"{result.Plan.WindowCount} windows of {config.PatchSize.X}×{config.PatchSize.Y}×{config.PatchSize.Z}, " +
                $"{foreground} foreground voxels ({100.0 * foreground / mask.Data.Length:F2} %) in {clock.Elapsed.TotalSeconds:F1} s"));
            report.WriteLine($"mask: {outputPath}");
            if (probabilityPath is not null) report.WriteLine($"probability: {probabilityPath}");
            return 0;
        });
        return command;
    }

    /// <summary>The configuration a run was trained with, or a usage error naming what is missing.</summary>
    internal static ExperimentConfig LoadRunConfig(string folder)
    {
        if (!Directory.Exists(folder)) throw new CliUsageException($"--run: folder '{folder}' does not exist");
        var configPath = Path.Combine(folder, "config.json");
        if (!File.Exists(configPath)) throw new CliUsageException($"--run: '{folder}' has no config.json (is it a run folder?)");
        try
        {
            return ExperimentConfig.FromJson(File.ReadAllText(configPath)).Validate();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException)
        {
            throw new CliUsageException($"--run: '{configPath}' is not a valid experiment configuration: {e.Message}");
        }
    }

    // best falls back to last when the run did not select on validation (no best checkpoint is written then).
    internal static string ResolveCheckpoint(string folder, string which, TextWriter warnings)
    {
        var best = Path.Combine(folder, Trainer.BestCheckpoint);
        var last = Path.Combine(folder, Trainer.LastCheckpoint);
        if (which == "best" && File.Exists(best)) return best;
        if (File.Exists(last))
        {
            if (which == "best") warnings.WriteLine($"sasnet: '{folder}' has no {Trainer.BestCheckpoint}; using {Trainer.LastCheckpoint}");
            return last;
        }
        throw new CliUsageException($"--run: '{folder}' has no checkpoint ({(which == "best" ? $"{Trainer.BestCheckpoint} or " : "")}{Trainer.LastCheckpoint}); train the run first");
    }

    internal enum VolumeFormat { Nifti, Hdf5, Nrrd }

    internal static VolumeFormat FormatOf(string path, string option)
    {
        bool Ends(string[] endings) => endings.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));
        if (Ends(NiftiEndings)) return VolumeFormat.Nifti;
        if (Ends(Hdf5Endings)) return VolumeFormat.Hdf5;
        if (Ends(NrrdEndings)) return VolumeFormat.Nrrd;
        throw new CliUsageException($"{option}: '{path}' is not a .nii, .nii.gz, .h5 or .nrrd file");
    }

    private static (Volume<float> Image, NiftiHeader? Header) ReadImage(string path, VolumeFormat format)
    {
        switch (format)
        {
            case VolumeFormat.Nifti:
                var (nifti, header) = Nifti.ReadFloat(path);
                return (nifti, header);
            case VolumeFormat.Hdf5:
                using (var file = Hdf5File.OpenRead(path))
                    return (file.ReadFloat(Hdf5ImageDataset), null);
            default:
                return (Nrrd.ReadFloat(path).Volume, null);
        }
    }

    // A single slice (or line) is not a volume: the 3D network would only see padding around it.
    private static void RequireThreeDimensional(Shape3 shape, string path)
    {
        if (shape.X < 2 || shape.Y < 2 || shape.Z < 2)
            throw new VolumeFormatException(path, $"the image is {shape.X}×{shape.Y}×{shape.Z}, not a 3D volume (every axis needs at least 2 voxels)");
    }

    private static void WriteVolume<T>(string path, Volume<T> volume, NiftiHeader? inputHeader, string hdf5Dataset) where T : unmanaged
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        switch (FormatOf(path, "--output"))
        {
            case VolumeFormat.Nifti:
                // With a NIfTI input the header (orientation, qform/sform) is carried over unchanged.
                Nifti.Write(full, volume, inputHeader);
                break;
            case VolumeFormat.Hdf5:
                using (var file = Hdf5File.Create(full)) file.Write(hdf5Dataset, volume);
                break;
            default:
                Nrrd.Write(full, volume);
                break;
        }
    }
}
