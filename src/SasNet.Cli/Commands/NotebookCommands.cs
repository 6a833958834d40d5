using System.CommandLine;
using System.Diagnostics;
using SasNet.IO;

namespace SasNet.Cli.Commands;

/// <summary>
/// <c>sasnet notebooks run ...</c>: hands its arguments to the notebook runner (<c>sasnet-notebooks</c>), which runs each
/// notebook in .NET Interactive's C# kernel. The runner is a process of its own because a notebook must load the kit
/// from its NuGet package, as in VS Code, and not find this command's copy of the kit already loaded.
/// </summary>
public static class NotebookCommands
{
    /// <summary>Environment variable naming the runner executable, for layouts other than <c>environment/setup.sh</c>'s.</summary>
    public const string RunnerVariable = "SASNET_NOTEBOOK_RUNNER";

    /// <summary>Where <c>environment/setup.sh</c> publishes the runner, relative to this command's folder.</summary>
    public const string RunnerRelativePath = "notebook-runner/sasnet-notebooks";

    /// <summary>The <c>notebooks</c> verb; everything after it goes to the runner unchanged.</summary>
    public static Command Create()
    {
        var arguments = new Argument<string[]>("arguments")
        {
            Description = "run NOTEBOOK|FOLDER... --output DIR [--scale Smoke|Quick|Paper] [--param Name=Value]... [--param-code Name=Expr]... [--no-html]",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("notebooks", "Run the kit's notebooks headlessly in the .NET Interactive kernel and export them (see 'sasnet notebooks run --help').")
        {
            arguments,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        // The runner gets the tokens after the verb in their order (options and their values included), unchanged.
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.Tokens.SkipWhile(t => t.Value != "notebooks").Skip(1).Select(t => t.Value).ToList(),
                parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    /// <summary>
    /// Starts the runner with <paramref name="arguments"/> (and <paramref name="environment"/> added to this process's
    /// variables), streams its output to this process's own, or into <paramref name="logFile"/> when one is given, and
    /// returns its exit code.
    /// </summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter error, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null, string? logFile = null)
    {
        var runner = Environment.GetEnvironmentVariable(RunnerVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, RunnerRelativePath);
        if (!File.Exists(runner))
        {
            await error.WriteLineAsync($"sasnet notebooks: the notebook runner is not at {runner}; run 'bash environment/setup.sh', " +
                                       $"which publishes it there, or set {RunnerVariable} to its path");
            return 2;
        }
        var start = new ProcessStartInfo(runner);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return await ChildProcess.RunAsync(start, cancellationToken, logFile);
    }
}
