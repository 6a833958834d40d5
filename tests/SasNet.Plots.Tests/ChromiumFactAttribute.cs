using SasNet.Plots.Rendering;

namespace SasNet.Plots.Tests;

/// <summary>
/// A fact that needs headless Chromium. On a developer machine without one it is skipped, with the reason; under CI
/// (<c>CI=true</c>) it runs anyway, so a missing browser fails with <see cref="ChromiumNotFoundException"/> instead
/// of passing unseen.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        bool underCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (HeadlessChromium.Locate() is null && !underCi)
            Skip = "Chromium is not installed (apt-get install chromium, or bash environment/setup.sh --test-tools)";
    }
}
