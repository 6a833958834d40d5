using System.CommandLine;
using System.CommandLine.Invocation;
using SasNet.Cli.Commands;

namespace SasNet.Cli;

/// <summary>The <c>sasnet</c> command line: one verb per job, each with its own --help.</summary>
public static class Program
{
    /// <summary>Exit code of a job that ran and failed (bad input data, a training error).</summary>
    public const int FailureExitCode = 1;

    /// <summary>Exit code of a command line that could not be run: unknown options, bad values, missing files.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Builds the command tree (public so tests can parse command lines without a process).</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "SASNet notebook kit: semi-supervised 3D segmentation (SASNet, SASSNet, V-Net) on libtorch, with notebooks.");
        foreach (var command in CommandCatalog.All()) root.Add(command);
        return root;
    }

    /// <summary>Entry point; exit code 0 on success, 1 on a failed job, 2 on bad arguments.</summary>
    public static int Main(string[] args) => Run(args);

    /// <summary>
    /// Runs one command line and returns its exit code. Help, parse errors and the verbs' own reports go to
    /// <paramref name="output"/> and <paramref name="error"/> (the console by default), so tests can run verbs in-process.
    /// </summary>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        error ??= Console.Error;
        var parse = BuildRoot().Parse(args);
        // The parser's own error action answers 1; a command line it cannot parse is a usage error (2).
        if (parse.Action is ParseErrorAction)
        {
            foreach (var problem in parse.Errors) error.WriteLine($"sasnet: {Describe(problem)}");
            error.WriteLine($"Run '{VerbPath(parse)} --help' for the options.");
            return UsageExitCode;
        }
        // The default exception handler would turn every exception into exit code 1 with a stack trace.
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output, Error = error };
        try
        {
            return parse.Invoke(invocation);
        }
        catch (CliUsageException e)
        {
            error.WriteLine($"sasnet: {e.Message}");
            return UsageExitCode;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // Unreadable or malformed files: their messages name the file and the problem, a trace adds nothing.
            error.WriteLine($"sasnet: {e.Message}");
            return FailureExitCode;
        }
        catch (Exception e)
        {
            error.WriteLine($"sasnet: {e.GetType().Name}: {e.Message}");
            error.WriteLine(e.StackTrace);
            return FailureExitCode;
        }
    }

    // The parser's messages about a value ("Argument 'x' not recognized") do not say which option it was given to.
    private static string Describe(System.CommandLine.Parsing.ParseError problem)
    {
        var option = problem.SymbolResult switch
        {
            System.CommandLine.Parsing.OptionResult o => o.Option.Name,
            System.CommandLine.Parsing.ArgumentResult { Parent: System.CommandLine.Parsing.OptionResult o } => o.Option.Name,
            _ => null,
        };
        return option is null || problem.Message.Contains(option, StringComparison.Ordinal) ? problem.Message : $"{option}: {problem.Message}";
    }

    private static string VerbPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command is RootCommand ? "sasnet" : result.Command.Name);
        return string.Join(' ', names);
    }
}
