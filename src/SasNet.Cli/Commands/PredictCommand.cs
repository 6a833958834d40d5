using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SasNet.Data.IO;
using SasNet.Geometry;
using SasNet.Inference;
using SasNet.Training;
using TorchSharp;

namespace SasNet.Cli.Commands;

/// <summary>
/// <c>sasnet predict</c>: segments one volume with a trained run (its config.json and checkpoint), using the
/// run's patch and stride for sliding-window inference (docs/method.md §8), and writes the mask.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var run = new Option<string?>("--run") { Description = "a run folder (config.json and best/last.safetensors)" };
        var weights = new Option<string?>("--weights") { Description = "instead of --run: a PyTorch state dict (.pth) from the official SASNet, SASSNet or V-Net code" };
        var dataset = new Option<string>("--dataset") { Description = "with --weights: la, pancreas or brats, whose paper patch and stride are used", DefaultValueFactory = _ => "la" };
        var input = new Option<string>("--input") { Description = $"image to segment: .nii, .nii.gz, .h5 (dataset '{VolumeFiles.ImageDataset}') or .nrrd", Required = true };
        var output = new Option<string>("--output") { Description = $"mask to write: .nii, .nii.gz, .h5 (dataset '{VolumeFiles.LabelDataset}') or .nrrd", Required = true };
        var checkpoint = new Option<string>("--checkpoint") { Description = "with --run: best (on validation) or last", DefaultValueFactory = _ => "best" };
        checkpoint.AcceptOnlyFromAmong("best", "last");
        var largest = new Option<bool>("--largest-component") { Description = "keep only the largest connected component of the mask" };
        var probability = new Option<string?>("--probability") { Description = "also write the foreground probability (float) to this file" };
        var device = new Option<string?>("--device") { Description = "cpu, cuda or cuda:N (default: the run's device)" };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads (default: all cores)" }.AtLeast(1);
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
            var inputFormat = RequireFormat(inputPath, "--input");
            RequireFormat(outputPath, "--output");
            if (probabilityPath is not null) RequireFormat(probabilityPath, "--probability");
            if (parse.GetValue(threads) is { } count) torch.set_num_threads(count);

            var (image, niftiHeader) = VolumeFiles.ReadImage(inputPath);
            RequireThreeDimensional(image.Shape, inputPath);
            VolumeChecks.RequireFinite(image, inputPath, inputFormat == VolumeFileFormat.Hdf5 ? VolumeFiles.ImageDataset : "voxel data");

            var clock = Stopwatch.StartNew();
            using var method = TrainingMethods.Create(config);
            source.Load(method);
            method.Network.eval();
            var window = new SlidingWindowOptions(config.Data.PatchSize, config.Evaluation.Stride) { KeepLargestComponent = parse.GetValue(largest) };
            var result = method.CreatePredictor(2).Predict(image, window);
            // The mask takes the input's grid, so it overlays the image in any viewer.
            var mask = new Volume<byte>(image.Shape, result.Mask.Data, image.Spacing);
            // With a NIfTI input the header (orientation, qform/sform) is carried over unchanged.
            VolumeFiles.Write(outputPath, mask, niftiHeader, VolumeFiles.LabelDataset);
            if (probabilityPath is not null)
                VolumeFiles.Write(probabilityPath, new Volume<float>(image.Shape, result.Probability.Data, image.Spacing), niftiHeader, VolumeFiles.ProbabilityDataset);

            long foreground = mask.Data.Count(v => v != 0);
            report.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{source.Label}: {inputPath} {image.Shape.X}×{image.Shape.Y}×{image.Shape.Z}, " +
                $"{result.Plan.WindowCount} windows of {config.Data.PatchSize.X}×{config.Data.PatchSize.Y}×{config.Data.PatchSize.Z}, " +
                $"{foreground} foreground voxels ({100.0 * foreground / mask.Data.Length:F2} %) in {clock.Elapsed.TotalSeconds:F1} s"));
            report.WriteLine($"mask: {outputPath}");
            if (probabilityPath is not null) report.WriteLine($"probability: {probabilityPath}");
            return 0;
        });
        return command;
    }

    private static VolumeFileFormat RequireFormat(string path, string option) =>
        VolumeFiles.FormatOf(path) ?? throw new CliUsageException($"{option}: '{path}' is not a {VolumeFiles.KnownEndings} file");

    // A single slice (or line) is not a volume: the 3D network would only see padding around it.
    private static void RequireThreeDimensional(Shape3 shape, string path)
    {
        if (shape.X < 2 || shape.Y < 2 || shape.Z < 2)
            throw new VolumeFormatException(path, $"the image is {shape.X}×{shape.Y}×{shape.Z}, not a 3D volume (every axis needs at least 2 voxels)");
    }
}
