using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using SasNet.Data.Datasets;
using SasNet.Data.IO;
using SasNet.Data.Preprocessing;
using SasNet.Geometry;

namespace SasNet.Cli.Commands;

/// <summary>
/// <c>sasnet preprocess la|pancreas|brats</c>: raw downloads → the h5 layouts the dataset readers expect
/// (docs/method.md §9), through the data layer's recipes. Each output folder can be passed as <c>--data-root</c>.
/// </summary>
internal static partial class PreprocessCommands
{
    public static Command Create()
    {
        var command = new Command("preprocess", "Convert raw LA (NRRD), Pancreas-CT or BraTS 2019 (NIfTI) data into the kit's h5 dataset layout.");
        command.Add(LA());
        command.Add(Pancreas());
        command.Add(BraTS());
        return command;
    }

    private static Option<string> InputOption(string description) => new("--input") { Description = description, Required = true };

    private static Option<string> OutputOption() => new("--output") { Description = "dataset folder to write (use it as --data-root)", Required = true };

    private static Command LA()
    {
        var input = InputOption("raw LA folder: <ID>/lgemri.nrrd and <ID>/laendo.nrrd per case");
        var output = OutputOption();
        var patch = new Option<string>("--patch") { Description = "training patch the X/Y crop must hold", DefaultValueFactory = _ => "112x112x80" };
        var marginMin = new Option<int>("--margin-min") { Description = "smallest random X/Y margin around the atrium (inclusive)", DefaultValueFactory = _ => 10 };
        var marginMax = new Option<int>("--margin-max") { Description = "largest random X/Y margin (exclusive)", DefaultValueFactory = _ => 20 };
        var cropZ = new Option<bool>("--crop-z") { Description = "also crop Z to the atrium with margins 5–9 (not in UA-MT's script)" };
        var seed = new Option<int>("--seed") { Description = "seed of the random margins (case i uses seed + i)", DefaultValueFactory = _ => 0 };
        var command = new Command("la", $"LA (UA-MT preprocessing): writes <output>/{DatasetCatalog.LaCasesFolder}/<ID>/mri_norm2.h5.")
            { input, output, patch, marginMin, marginMax, cropZ, seed };
        command.SetAction(parse =>
        {
            var raw = RequireFolder(parse.GetValue(input)!);
            int low = parse.GetValue(marginMin), high = parse.GetValue(marginMax);
            if (low < 0 || high <= low) throw new CliUsageException($"--margin-min/--margin-max: need 0 ≤ min < max, got {low} and {high}");
            var options = new LaPreprocessOptions(ParseSize(parse.GetValue(patch)!, "--patch"), low, high, parse.GetValue(cropZ));
            var root = parse.GetValue(output)!;
            var cases = Path.Combine(root, DatasetCatalog.LaCasesFolder);
            if (!Directory.EnumerateDirectories(raw).Any(d => File.Exists(Path.Combine(d, "lgemri.nrrd"))))
                throw new CliUsageException($"--input: no case folder with lgemri.nrrd under '{raw}'");
            var ids = Recipes.ConvertLA(raw, cases, options, parse.GetValue(seed));
            var report = parse.InvocationConfiguration.Output;
            report.WriteLine($"wrote {ids.Count} LA cases to {cases}");
            report.WriteLine(File.Exists(Path.Combine(root, "train.list"))
                ? "lists: train.list/test.list of the output folder"
                : "lists: none in the output folder, so the reader uses the official 80/20 lists shipped with the kit");
            return 0;
        });
        return command;
    }

    private static Command Pancreas()
    {
        var input = InputOption("folder of CT volumes (.nii/.nii.gz), e.g. PANCREAS_0001.nii.gz");
        var labels = new Option<string?>("--labels") { Description = "folder of label volumes, e.g. label0001.nii.gz (default: --input)" };
        var output = OutputOption();
        var margin = new Option<int>("--margin") { Description = "X/Y margin around the pancreas box, voxels at 1 mm", DefaultValueFactory = _ => 25 };
        var test = new Option<int>("--test") { Description = "cases (the highest numbers) listed in test.list when the lists are written", DefaultValueFactory = _ => 20 };
        var command = new Command("pancreas",
            "Pancreas-CT: HU window, 1 mm resampling, X/Y crop, z-score; writes <output>/Pancreas_h5/image<NNNN>_norm.h5 and train.list/test.list.")
            { input, labels, output, margin, test };
        command.SetAction(parse =>
        {
            var imageFolder = RequireFolder(parse.GetValue(input)!);
            var labelFolder = parse.GetValue(labels) is { } l ? RequireFolder(l, "--labels") : imageFolder;
            int marginXY = parse.GetValue(margin);
            if (marginXY < 0) throw new CliUsageException($"--margin: must not be negative, got {marginXY}");
            // Images and labels are paired by the case number in their names; label files say "label".
            var images = NumberedNifti(imageFolder).Where(f => !IsLabelName(f.Path)).ToDictionary(f => f.Number, f => f.Path);
            var labelFiles = NumberedNifti(labelFolder).Where(f => IsLabelName(f.Path)).ToDictionary(f => f.Number, f => f.Path);
            var numbers = images.Keys.Where(labelFiles.ContainsKey).Order().ToArray();
            if (numbers.Length == 0)
                throw new CliUsageException($"--input/--labels: no CT volume in '{imageFolder}' has a matching label<NNNN> volume in '{labelFolder}'");
            int testCount = parse.GetValue(test);
            if (testCount < 1 || testCount >= numbers.Length)
                throw new CliUsageException($"--test: need 1 ≤ test cases < {numbers.Length} (the cases found), got {testCount}");
            var root = parse.GetValue(output)!;
            var report = parse.InvocationConfiguration.Output;
            var ids = new List<string>();
            foreach (var number in numbers)
            {
                var id = $"image{number:D4}";
                var ct = Nifti.ReadFloat(images[number]).Volume;
                var label = Nifti.ReadLabel(labelFiles[number]).Volume;
                var (image, mask) = Recipes.PreprocessPancreas(ct, label, marginXY, images[number]);
                Hdf5Case.Write(Path.Combine(root, "Pancreas_h5", $"{id}_norm.h5"), image, mask, Hdf5StorageOptions.Gzip, labelAsFloat: true);
                report.WriteLine($"{id}: {image.Shape.X}×{image.Shape.Y}×{image.Shape.Z}");
                ids.Add(id);
            }
            WriteListsIfAbsent(root, report, ("train.list", ids.Take(ids.Count - testCount)), ("test.list", ids.Skip(ids.Count - testCount)));
            report.WriteLine($"wrote {ids.Count} Pancreas-CT cases to {Path.Combine(root, "Pancreas_h5")}");
            return 0;
        });
        return command;
    }

    private static Command BraTS()
    {
        var input = InputOption("BraTS 2019 folder: searched for <ID>_flair.nii(.gz) with <ID>_seg.nii(.gz) beside it (HGG/LGG subfolders included)");
        var output = OutputOption();
        var validation = new Option<int>("--val") { Description = "cases in val.txt when the lists are written", DefaultValueFactory = _ => 25 };
        var test = new Option<int>("--test") { Description = "cases in test.txt when the lists are written", DefaultValueFactory = _ => 60 };
        var seed = new Option<int>("--seed") { Description = "shuffle seed of the written lists", DefaultValueFactory = _ => 1337 };
        var command = new Command("brats",
            "BraTS 2019 FLAIR, whole tumour: brain crop, 99.9th-percentile clip, z-score; writes <output>/data/<ID>.h5 and train/val/test.txt.")
            { input, output, validation, test, seed };
        command.SetAction(parse =>
        {
            var raw = RequireFolder(parse.GetValue(input)!);
            var pairs = Directory.EnumerateFiles(raw, "*_flair.nii*", SearchOption.AllDirectories)
                .Select(flair => (Flair: flair, Id: Regex.Replace(Path.GetFileName(flair), @"_flair\.nii(\.gz)?$", "", RegexOptions.IgnoreCase)))
                .Select(p => (p.Flair, p.Id, Seg: new[] { ".nii.gz", ".nii" }.Select(e => Path.Combine(Path.GetDirectoryName(p.Flair)!, p.Id + "_seg" + e)).FirstOrDefault(File.Exists)))
                .Where(p => p.Seg is not null)
                .OrderBy(p => p.Id, StringComparer.Ordinal)
                .ToArray();
            if (pairs.Length == 0) throw new CliUsageException($"--input: no <ID>_flair.nii(.gz) with a matching <ID>_seg under '{raw}'");
            int valCount = parse.GetValue(validation), testCount = parse.GetValue(test);
            if (valCount < 0 || testCount < 1 || valCount + testCount >= pairs.Length)
                throw new CliUsageException($"--val/--test: {valCount} + {testCount} cases leave no training case among the {pairs.Length} found");
            var root = parse.GetValue(output)!;
            var report = parse.InvocationConfiguration.Output;
            foreach (var (flair, id, seg) in pairs)
            {
                Recipes.ConvertBraTSCase(flair, seg!, Path.Combine(root, "data", id + ".h5"));
                report.WriteLine(id);
            }
            var ids = pairs.Select(p => p.Id).ToArray();
            new Random(parse.GetValue(seed)).Shuffle(ids);
            WriteListsIfAbsent(root, report,
                ("test.txt", ids.Take(testCount)), ("val.txt", ids.Skip(testCount).Take(valCount)), ("train.txt", ids.Skip(testCount + valCount)));
            report.WriteLine($"wrote {ids.Length} BraTS cases to {Path.Combine(root, "data")}");
            return 0;
        });
        return command;
    }

    private static string RequireFolder(string path, string option = "--input") =>
        Directory.Exists(path) ? path : throw new CliUsageException($"{option}: folder '{path}' does not exist");

    private static Shape3 ParseSize(string text, string option)
    {
        var parts = text.Split('x', 'X', ',', '×');
        if (parts.Length != 3 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0))
            throw new CliUsageException($"{option}: '{text}' is not a size like 112x112x80");
        var v = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new Shape3(v[0], v[1], v[2]);
    }

    private static bool IsLabelName(string path) => Path.GetFileName(path).Contains("label", StringComparison.OrdinalIgnoreCase);

    // NIfTI files whose names carry a case number (the last run of digits): PANCREAS_0001.nii.gz → 1.
    private static IEnumerable<(int Number, string Path)> NumberedNifti(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".nii", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase))
            .Select(f => (Match: LastNumber().Match(Path.GetFileName(f)), Path: f))
            .Where(m => m.Match.Success)
            .Select(m => (int.Parse(m.Match.Groups[1].Value, CultureInfo.InvariantCulture), m.Path));

    [GeneratedRegex(@"(\d+)\D*$")]
    private static partial Regex LastNumber();

    // Lists a user already has (e.g. the published splits) are never overwritten.
    private static void WriteListsIfAbsent(string root, TextWriter report, params (string File, IEnumerable<string> Ids)[] lists)
    {
        if (lists.Any(l => File.Exists(Path.Combine(root, l.File))))
        {
            report.WriteLine($"lists: kept the existing ones in {root}");
            return;
        }
        foreach (var (file, ids) in lists)
        {
            var entries = ids.ToArray();
            File.WriteAllLines(Path.Combine(root, file), entries);
            report.WriteLine($"lists: {file} ({entries.Length} cases)");
        }
    }
}
