namespace TorchBinding;

/// <summary>A failure reported by libtorch (shape mismatch, wrong dtype, out of memory, ...), carrying libtorch's message.</summary>
public sealed class TorchException : Exception
{
    /// <summary>Creates the exception with libtorch's message.</summary>
    public TorchException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public TorchException(string message, Exception inner) : base(message, inner) { }
}
