namespace SasNet.Experiments;

/// <summary>Where the kit keeps generated data and trained runs.</summary>
public static class KitPaths
{
    /// <summary>
    /// The cache root: <c>SASNET_CACHE</c> when set; else <c>artifacts/cache</c> of the source checkout this
    /// code runs from (found by walking up to <c>SasNet.slnx</c>); else <c>~/.cache/sasnet-kit</c>.
    /// </summary>
    public static string CacheRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SASNET_CACHE");
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        var repository = RepositoryRoot();
        if (repository is not null) return Path.Combine(repository, "artifacts", "cache");
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "sasnet-kit");
    }

    /// <summary>The source checkout that holds this assembly, if any.</summary>
    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SasNet.slnx"))) return dir.FullName;
        return null;
    }
}
