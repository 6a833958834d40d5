using System.Text.Json.Nodes;
using SasNet.Notebooks.Format;

namespace SasNet.Notebooks.Execution;

/// <summary>
/// Gathers the outputs of one running cell in the order they happen. Thread-safe, because libraries
/// print from worker threads; consecutive writes to the same stream are merged into one output.
/// </summary>
public sealed class CellOutputCollector
{
    private readonly object _gate = new();
    private readonly List<JsonObject> _outputs = [];
    private string? _openStream;
    private System.Text.StringBuilder? _streamText;

    /// <summary>Appends text written to stdout or stderr.</summary>
    public void WriteStream(string streamName, string text)
    {
        if (string.IsNullOrEmpty(text)) return;
        lock (_gate)
        {
            if (_openStream != streamName)
            {
                CloseStream();
                _openStream = streamName;
                _streamText = new System.Text.StringBuilder();
            }
            _streamText!.Append(text);
        }
    }

    /// <summary>Adds a display_data output and returns a handle that can replace its content later.</summary>
    public DisplayedValue AddDisplay(IReadOnlyDictionary<string, string> data)
    {
        lock (_gate)
        {
            CloseStream();
            var output = CellOutputs.DisplayData(data);
            _outputs.Add(output);
            return new DisplayedValue(this, output);
        }
    }

    /// <summary>Adds an output object built by <see cref="CellOutputs"/>.</summary>
    public void Add(JsonObject output)
    {
        lock (_gate)
        {
            CloseStream();
            _outputs.Add(output);
        }
    }

    /// <summary>All outputs so far, streams flushed.</summary>
    public IReadOnlyList<JsonObject> Snapshot()
    {
        lock (_gate)
        {
            CloseStream();
            return _outputs.ToList();
        }
    }

    internal void Replace(JsonObject output, IReadOnlyDictionary<string, string> data)
    {
        lock (_gate) output["data"] = CellOutputs.MimeBundle(data);
    }

    private void CloseStream()
    {
        if (_openStream is null) return;
        _outputs.Add(CellOutputs.Stream(_openStream, _streamText!.ToString()));
        _openStream = null;
        _streamText = null;
    }
}

/// <summary>What <c>display(...)</c> returns: a handle on the shown output, as in Polyglot Notebooks.</summary>
public sealed class DisplayedValue
{
    private readonly CellOutputCollector _owner;
    private readonly JsonObject _output;

    internal DisplayedValue(CellOutputCollector owner, JsonObject output)
    {
        _owner = owner;
        _output = output;
    }

    /// <summary>Replaces the displayed content with <paramref name="value"/> (e.g. a progress table).</summary>
    public void Update(object? value) => _owner.Replace(_output, DisplayFormatter.Format(value));
}
