using System.CommandLine;
using SasNet.Data.Phantoms;
using SasNet.Experiments;
using SasNet.Plots.Tables;
using SasNet.Training;

namespace SasNet.Cli.Commands;

/// <summary><c>sasnet train</c>, <c>sasnet evaluate</c> and <c>sasnet phantoms</c>.</summary>
internal static class TrainCommands
{
    public static Command Train()
    {
        var experiment = new ExperimentOptionsParsing();
        var cache = new Option<string?>("--cache") { Description = "cache folder for runs and phantoms (default: artifacts/cache or $SASNET_CACHE)" };
        var retrain = new Option<bool>("--retrain") { Description = "train again even if a cached run exists" };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads (default: all cores)" }.AtLeast(1);
        var show = new Option<bool>("--print-config") { Description = "print the resolved configuration and exit" };
        var command = new Command("train", "Train V-Net, SASSNet or SASNet and evaluate on the test cases (cached by configuration).");
        experiment.AddTo(command);
        command.Add(cache); command.Add(retrain); command.Add(threads); command.Add(show);
        command.SetAction(parse =>
        {
            var config = experiment.Build(parse);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(show))
            {
                output.WriteLine(config.ToJson());
                return 0;
            }
            output.WriteLine($"run {config.RunName}");
            // A redrawn bar on the terminal; plain lines when the output is captured (tests, logs).
            var progress = ReferenceEquals(output, Console.Out) ? ProgressReporters.Console() : ProgressReporters.Lines(output);
            var result = Experiment.Run(config, new ExperimentOptions(parse.GetValue(cache), parse.GetValue(retrain), progress, Threads: parse.GetValue(threads)));
            output.WriteLine(ComparisonTable.PerCase(result.TestMetrics));
            output.WriteLine(result);
            output.WriteLine($"files: {result.Folder}");
            return 0;
        });
        return command;
    }

    public static Command Evaluate()
    {
        var run = new Option<string?>("--run") { Description = "a run folder (holds config.json and the checkpoints)" };
        var weights = new Option<string?>("--weights") { Description = "instead of --run: a PyTorch state dict (.pth) from the official SASNet, SASSNet or V-Net code" };
        var checkpoint = new Option<string>("--checkpoint") { Description = "with --run: best (on validation) or last", DefaultValueFactory = _ => "best" };
        checkpoint.AcceptOnlyFromAmong("best", "last");
        var dataset = new Option<string>("--dataset") { Description = "with --weights: phantoms, la, pancreas or brats (its test split, patch and stride)", DefaultValueFactory = _ => "la" };
        var dataRoot = new Option<string?>("--data-root") { Description = "with --weights: the dataset's folder" };
        var cache = new Option<string?>("--cache") { Description = "cache folder for the phantoms" };
        var command = new Command("evaluate", "Evaluate a trained run's checkpoint, or official PyTorch weights, on the test cases (sliding window, Dice/Jaccard/HD95/ASD).")
            { run, weights, checkpoint, dataset, dataRoot, cache };
        command.SetAction(parse =>
        {
            var source = ModelSource.Resolve(parse.GetValue(run), parse.GetValue(weights), parse.GetValue(checkpoint)!,
                ExperimentOptionsParsing.ParseEnum<DatasetKind>(parse.GetValue(dataset)!, "--dataset"), parse.GetValue(dataRoot), true, parse.InvocationConfiguration.Error);
            var config = source.Config;
            var data = ExperimentData.Prepare(config, parse.GetValue(cache) ?? KitPaths.CacheRoot());
            using var method = TrainingMethods.Create(config);
            source.Load(method);
            method.Network.eval();
            var result = Inference.Evaluation.Run(method.CreatePredictor(2), data.Split.TestCases(), data.Window,
                $"{source.Label} on the test cases", progress: new Progress<string>(Console.WriteLine));
            Console.WriteLine(ComparisonTable.PerCase(result.Metrics));
            return 0;
        });
        return command;
    }

    public static Command Phantoms()
    {
        var output = new Option<string>("--output") { Description = "dataset folder to write", Required = true };
        var scale = new Option<string>("--scale") { Description = "quick (~64×64×48) or paper (~120×120×88)", DefaultValueFactory = _ => "quick" };
        var train = new Option<int>("--train") { Description = "training cases", DefaultValueFactory = _ => 20 };
        var test = new Option<int>("--test") { Description = "test cases", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "generator seed", DefaultValueFactory = _ => ExperimentData.PhantomSeed };
        var command = new Command("phantoms", "Generate the built-in MRI-like phantom dataset in the LA layout.") { output, scale, train, test, seed };
        command.SetAction(parse =>
        {
            var kind = ExperimentOptionsParsing.ParseEnum<PhantomScale>(parse.GetValue(scale)!, "--scale");
            if (parse.GetValue(train) < 1 || parse.GetValue(test) < 1) throw new CliUsageException("--train and --test must be at least 1");
            var info = PhantomDataset.Generate(parse.GetValue(output)!, kind, parse.GetValue(train), parse.GetValue(test), parse.GetValue(seed));
            Console.WriteLine($"{(info.Reused ? "already present" : "wrote")} {info.TrainIds.Count} training and {info.TestIds.Count} test cases in {info.Root}");
            return 0;
        });
        return command;
    }
}
