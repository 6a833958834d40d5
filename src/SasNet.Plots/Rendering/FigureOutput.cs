namespace SasNet.Plots.Rendering;

/// <summary>
/// Where notebooks save figure files: the folder the headless runner names in <c>SASNET_NOTEBOOK_OUTPUT</c>
/// (its output folder), or <c>./figures</c> when run interactively.
/// </summary>
public static class FigureOutput
{
    /// <summary>The environment variable the notebook runner sets.</summary>
    public const string Variable = "SASNET_NOTEBOOK_OUTPUT";

    /// <summary>The folder (created when missing).</summary>
    public static string Directory
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrEmpty(folder)) folder = Path.Combine(Environment.CurrentDirectory, "figures");
            System.IO.Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>Full path of <paramref name="fileName"/> inside <see cref="Directory"/>.</summary>
    public static string PathFor(string fileName) => Path.Combine(Directory, fileName);
}
