using System.Text;

namespace SasNet.Notebooks.Execution;

/// <summary>
/// Redirects <see cref="Console.Out"/> and <see cref="Console.Error"/> into the outputs of whichever cell
/// is running, for as long as it is alive. Writers are synchronised so that worker threads can print.
/// </summary>
internal sealed class ConsoleCapture : IDisposable
{
    private readonly TextWriter _originalOut;
    private readonly TextWriter _originalError;
    private volatile CellOutputCollector? _target;

    public ConsoleCapture()
    {
        _originalOut = Console.Out;
        _originalError = Console.Error;
        Console.SetOut(TextWriter.Synchronized(new RoutingWriter(this, "stdout", _originalOut)));
        Console.SetError(TextWriter.Synchronized(new RoutingWriter(this, "stderr", _originalError)));
    }

    /// <summary>The console as it was before the capture, for the runner's own progress lines.</summary>
    public TextWriter OriginalOut => _originalOut;

    /// <summary>Sends console text to <paramref name="collector"/> (null: back to the real console).</summary>
    public void Route(CellOutputCollector? collector) => _target = collector;

    public void Dispose()
    {
        Console.Out.Flush();
        Console.Error.Flush();
        Console.SetOut(_originalOut);
        Console.SetError(_originalError);
    }

    private sealed class RoutingWriter(ConsoleCapture owner, string streamName, TextWriter fallback) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Write(string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            if (owner._target is { } target) target.WriteStream(streamName, value);
            else fallback.Write(value);
        }

        // One call per line keeps a line from being split between threads.
        public override void WriteLine(string? value) => Write((value ?? "") + NewLine);

        public override void WriteLine() => Write(NewLine);
    }
}
