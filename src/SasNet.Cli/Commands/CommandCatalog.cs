using System.CommandLine;

namespace SasNet.Cli.Commands;

/// <summary>Every verb of the CLI, in the order --help lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return TrainCommands.Train();
        yield return TrainCommands.Evaluate();
        yield return TrainCommands.Phantoms();
        yield return PredictCommand.Create();
        yield return PreprocessCommands.Create();
        yield return NotebookCommands.Create();
        yield return SweepCommands.Create();
        yield return DemoCommand.Create();
        yield return VersionCommand.Create();
        yield return EngineCommand.Create();
        yield return BenchmarkCommands.Create();
    }
}
