namespace SasNet.Notebooks.Execution;

/// <summary>
/// Members visible to notebook code as plain names, mirroring what Polyglot Notebooks provides to C# cells:
/// <c>display(value)</c> and <c>HTML(markup)</c>.
/// </summary>
public class NotebookGlobals
{
    private CellOutputCollector _current = new();

    /// <summary>Where display output goes: the cell that is running.</summary>
    internal CellOutputCollector CurrentOutput
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    /// <summary>
    /// Shows <paramref name="value"/> below the cell: as HTML when it has a public <c>string ToHtml()</c>
    /// method, otherwise as plain text.
    /// </summary>
    /// <returns>A handle whose <see cref="DisplayedValue.Update"/> replaces what was shown.</returns>
#pragma warning disable IDE1006 // lower-case names on purpose: they are the names notebook code uses.
    public DisplayedValue display(object? value) => CurrentOutput.AddDisplay(DisplayFormatter.Format(value));

    /// <summary>Marks <paramref name="markup"/> as HTML, so that displaying it renders rather than escapes it.</summary>
    public HtmlContent HTML(string markup) => new(markup);
#pragma warning restore IDE1006
}
