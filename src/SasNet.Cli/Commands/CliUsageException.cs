namespace SasNet.Cli.Commands;

/// <summary>Bad command-line input that the parser could not catch (e.g. a missing file); exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
