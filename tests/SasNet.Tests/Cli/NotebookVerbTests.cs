using System.Text.Json.Nodes;
using SasNet.Cli;
using SasNet.Cli.Commands;
using SasNet.Experiments;

namespace SasNet.Tests.Cli;

/// <summary><c>sasnet notebooks ...</c> hands its arguments, in order, to the notebook runner process.</summary>
public class NotebookVerbTests
{
    private static string? PublishedRunner() =>
        KitPaths.RepositoryRoot() is { } root && Path.Combine(root, "artifacts", "kit", NotebookCommands.RunnerRelativePath) is var runner
        && File.Exists(runner) ? runner : null;

    private static int Sasnet(string runner, StringWriter error, params string[] args)
    {
        var saved = Environment.GetEnvironmentVariable(NotebookCommands.RunnerVariable);
        Environment.SetEnvironmentVariable(NotebookCommands.RunnerVariable, runner);
        try
        {
            return Program.Run(args, new StringWriter(), error);
        }
        finally
        {
            Environment.SetEnvironmentVariable(NotebookCommands.RunnerVariable, saved);
        }
    }

    [Fact]
    public void AMissingRunnerIsAUsageErrorThatSaysHowToGetIt()
    {
        var error = new StringWriter();
        var code = Sasnet("/nonexistent/sasnet-notebooks", error, "notebooks", "run", "x.ipynb", "--output", "out");
        Assert.Equal(2, code);
        Assert.Contains("/nonexistent/sasnet-notebooks", error.ToString());
        Assert.Contains("environment/setup.sh", error.ToString());
    }

    [Fact]
    public void ArgumentsReachThePublishedRunnerInOrder()
    {
        var runner = PublishedRunner();
        if (!ExternalRequirement.Met(runner is null ? "the notebook runner is not published under artifacts/kit" : null)) return;
        var folder = Directory.CreateTempSubdirectory("sasnet-notebook-verb-").FullName;
        try
        {
            var notebook = Path.Combine(folder, "p.ipynb");
            var cell = new JsonObject
            {
                ["cell_type"] = "code", ["execution_count"] = null, ["outputs"] = new JsonArray(),
                ["metadata"] = new JsonObject { ["tags"] = new JsonArray("parameters"), ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
                ["source"] = "var Scale = \"Quick\";\nConsole.WriteLine(\"scale \" + Scale);",
            };
            var document = new JsonObject
            {
                ["cells"] = new JsonArray(cell), ["nbformat"] = 4, ["nbformat_minor"] = 5,
                ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp", ["language"] = "C#", ["display_name"] = ".NET (C#)" } },
            };
            File.WriteAllText(notebook, document.ToJsonString());
            var output = Path.Combine(folder, "out");
            var error = new StringWriter();
            var code = Sasnet(runner!, error, "notebooks", "run", "--scale", "Smoke", notebook, "--output", output, "--no-html");
            Assert.True(code == 0, error.ToString());
            var saved = File.ReadAllText(Path.Combine(output, "p.ipynb"));
            Assert.Contains("Scale = \\\"Smoke\\\"", saved);
            Assert.False(File.Exists(Path.Combine(output, "p.html")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
