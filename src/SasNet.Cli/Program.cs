using System.CommandLine;
using SasNet.Cli.Commands;

namespace SasNet.Cli;

/// <summary>The <c>sasnet</c> command line: one verb per job, each with its own --help.</summary>
public static class Program
{
    /// <summary>Builds the command tree (public so tests can parse command lines without a process).</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "SASNet notebook kit: semi-supervised 3D segmentation (SASNet, SASSNet, V-Net) on libtorch, with notebooks.");
        foreach (var command in CommandCatalog.All()) root.Add(command);
        return root;
    }

    /// <summary>Entry point; exit code 0 on success, 1 on a failed job, 2 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        var parse = BuildRoot().Parse(args);
        try
        {
            return parse.Invoke();
        }
        catch (CliUsageException e)
        {
            Console.Error.WriteLine($"sasnet: {e.Message}");
            return 2;
        }
    }
}
