using System.CommandLine;
using SasNet.Runtime;
using TorchSharp;

namespace SasNet.Cli.Commands;

/// <summary><c>sasnet version</c>: the kit, TorchSharp and libtorch versions, and the compute backends that loaded.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the kit, TorchSharp and libtorch versions and whether CUDA is usable (loads the native libraries).");
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var libtorch = TorchRuntime.EnsureLoaded();
            output.WriteLine($"sasnet kit {typeof(VersionCommand).Assembly.GetName().Version}");
            output.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {libtorch}");
            output.WriteLine(torch.cuda.is_available()
                ? $"CUDA: {torch.cuda.device_count()} device(s)"
                : "CUDA: not available (CPU build of libtorch, or no GPU visible)");
            output.WriteLine($"threads: {torch.get_num_threads()}");
            if (TorchRuntime.OneDnnIsaNote.Length > 0) output.WriteLine($"oneDNN: {TorchRuntime.OneDnnIsaNote}");
            return 0;
        });
        return command;
    }
}
