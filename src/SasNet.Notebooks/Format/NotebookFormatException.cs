namespace SasNet.Notebooks.Format;

/// <summary>A notebook file that is not valid JSON or not an nbformat 4 notebook.</summary>
public sealed class NotebookFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> (a file path or a description).</summary>
    public NotebookFormatException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}", inner)
    {
        Source = source;
        Problem = problem;
    }

    /// <summary>The file (or other origin) of the notebook text.</summary>
    public new string Source { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
