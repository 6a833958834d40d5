using System.CommandLine;
using SasNet.Cli.Benchmarks;

namespace SasNet.Cli.Commands;

/// <summary><c>sasnet benchmark …</c>: commands that print speed and memory figures (not tests).</summary>
internal static class BenchmarkCommands
{
    public static Command Create()
    {
        var command = new Command("benchmark", "Print speed and memory figures of the engine, geometry, data pipeline and training.");
        command.Add(Engine());
        command.Add(Memory());
        command.Add(Training());
        command.Add(Inference());
        command.Add(Simple("data", "HDF5 load throughput of an LA-sized case and the time of one batch with and without prefetch.", o => DataBenchmark.Run(o)));
        command.Add(Simple("geometry", "SDM of a batch of 4 at 112×112×80 and HD95/ASD, against scipy+skimage when present.", o => GeometryBenchmark.Run(o)));
        return command;
    }

    private static Command Simple(string name, string description, Func<TextWriter, int> run)
    {
        var command = new Command(name, description);
        command.SetAction(_ => run(Console.Out));
        return command;
    }

    private static Command Engine()
    {
        var threads = new Option<int>("--threads") { Description = "intra-op threads for both engines", DefaultValueFactory = _ => Environment.ProcessorCount }.AtLeast(1);
        var repeats = new Option<int>("--repeats") { Description = "timed iterations per size", DefaultValueFactory = _ => 5 }.AtLeast(1);
        var python = new Option<bool>("--no-python") { Description = "skip the PyTorch comparison" };
        var command = new Command("engine", "V-Net forward+backward (16 filters, batch 2) at 64³ and 112×112×80 from C#, and in PyTorch when available.")
            { threads, repeats, python };
        command.SetAction(parse => EngineBenchmark.Run(Console.Out, parse.GetValue(threads), parse.GetValue(repeats), !parse.GetValue(python)));
        return command;
    }

    private static Command Training()
    {
        var scale = new Option<string>("--scale") { Description = "quick or paper (crop and filters of that scale, on phantoms)", DefaultValueFactory = _ => "quick" };
        var iterations = new Option<int>("--iterations") { Description = "timed iterations", DefaultValueFactory = _ => 10 }.AtLeast(2, "the first is a warm-up");
        var threads = new Option<int>("--threads") { Description = "libtorch threads", DefaultValueFactory = _ => Environment.ProcessorCount }.AtLeast(1);
        var method = new Option<string>("--method") { Description = "sasnet, vnet or sassnet", DefaultValueFactory = _ => "sasnet" };
        var command = new Command("training", "Time training iterations per phase: data, forward, losses, SAR, SDM, backward.") { scale, iterations, threads, method };
        command.SetAction(parse => TrainingBenchmark.Run(Console.Out,
            ExperimentOptionsParsing.ParseEnum<SasNet.Training.ExperimentScale>(parse.GetValue(scale)!, "--scale"),
            parse.GetValue(iterations), parse.GetValue(threads),
            ExperimentOptionsParsing.ParseEnum<SasNet.Training.TrainingMethod>(parse.GetValue(method)!, "--method")));
        return command;
    }

    private static Command Inference()
    {
        var repeats = new Option<int>("--repeats") { Description = "timed predictions", DefaultValueFactory = _ => 5 }.AtLeast(1);
        var threads = new Option<int>("--threads") { Description = "libtorch threads", DefaultValueFactory = _ => Environment.ProcessorCount }.AtLeast(1);
        var command = new Command("inference", "Sliding-window prediction of one Quick-scale phantom case with a Quick SASNet.") { repeats, threads };
        command.SetAction(parse => InferenceBenchmark.Run(Console.Out, parse.GetValue(repeats), parse.GetValue(threads)));
        return command;
    }

    private static Command Memory()
    {
        var steps = new Option<int>("--steps") { Description = "training steps", DefaultValueFactory = _ => 1000 }.AtLeast(10, "it compares resident memory after a warm-up with the steps that follow");
        var plainScope = new Option<bool>("--plain-scope")
        {
            Description = "run each step in a plain dispose scope instead of the trainer's TrainingStepScope, to compare",
        };
        var command = new Command("memory", "Resident memory and live native tensors over a loop of training steps (leak check).") { steps, plainScope };
        command.SetAction(parse => MemoryBenchmark.Run(Console.Out, parse.GetValue(steps), parse.GetValue(plainScope)));
        return command;
    }
}
