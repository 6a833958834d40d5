using SasNet.Plots.Rendering;

namespace SasNet.Plots.Tests;

/// <summary>
/// A fact that needs headless Chromium (<see cref="ExternalRequirement"/>): under CI a missing browser fails with
/// <see cref="ChromiumNotFoundException"/> instead of passing unseen.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        Skip = ExternalRequirement.SkipReason(HeadlessChromium.Locate() is null
            ? "Chromium is not installed (apt-get install chromium, or bash environment/setup.sh --test-tools)" : null);
    }
}
