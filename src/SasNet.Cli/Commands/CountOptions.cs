using System.CommandLine;

namespace SasNet.Cli.Commands;

/// <summary>
/// Lower bounds for the command line's counts (threads, repeats, iterations, jobs), checked by the parser, so that a
/// bad count is a usage error (exit 2) naming the option instead of an exception from inside the command, or an
/// abort from libtorch (<c>set_num_threads(0)</c> terminates the process). The commands and benchmarks behind these
/// options rely on this one check.
/// </summary>
internal static class CountOptions
{
    /// <summary>Rejects values of <paramref name="option"/> below <paramref name="minimum"/>.</summary>
    public static Option<int> AtLeast(this Option<int> option, int minimum, string? why = null)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is var value && value < minimum) result.AddError(Message(option, minimum, value, why));
        });
        return option;
    }

    /// <summary>Rejects given values of <paramref name="option"/> below <paramref name="minimum"/>; leaving it out stays allowed.</summary>
    public static Option<int?> AtLeast(this Option<int?> option, int minimum, string? why = null)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } value && value < minimum) result.AddError(Message(option, minimum, value, why));
        });
        return option;
    }

    private static string Message(Option option, int minimum, int value, string? why) =>
        $"{option.Name} must be at least {minimum}{(why is null ? "" : $" ({why})")}, got {value}";
}
