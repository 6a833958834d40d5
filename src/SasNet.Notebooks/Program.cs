using System.CommandLine;
using SasNet.Notebooks.Running;

// sasnet-notebooks run NOTEBOOK... --output DIR [--scale S] [--param Name=Value]...
var root = new RootCommand("Runs the kit's Polyglot notebooks headlessly in .NET Interactive's C# kernel and exports them.")
{
    RunCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
