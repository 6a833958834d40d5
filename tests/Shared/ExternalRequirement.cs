namespace SasNet.Testing;

/// <summary>
/// The one rule for tests that need something <c>environment/setup.sh</c> provides (Python with torch/h5py/scipy,
/// Chromium, the published CLI and notebook runner, the dotnet-interactive tool): on a developer's machine without it
/// they skip with the reason; under CI (<c>CI=true</c>), where the set-up ran, they run and fail, so a green CI means
/// they ran. Compiled into every test project (tests/Directory.Build.props).
/// </summary>
internal static class ExternalRequirement
{
    /// <summary>True under CI, where every requirement must be met.</summary>
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The skip reason of a test whose requirement is <paramref name="missing"/> (null when met): none under CI.</summary>
    public static string? SkipReason(string? missing) => UnderCi ? null : missing;

    /// <summary>
    /// For a test that finds out inside its body: true when the requirement is met; false (the test returns early) on a
    /// developer's machine without it; a failure under CI.
    /// </summary>
    public static bool Met([System.Diagnostics.CodeAnalysis.NotNullWhen(false)] string? missing)
    {
        if (missing is null) return true;
        Assert.False(UnderCi, $"{missing}, though CI runs after environment/setup.sh");
        return false;
    }
}
