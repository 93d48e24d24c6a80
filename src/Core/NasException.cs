namespace Nas.Core;

/// <summary>
/// An error caused by the user's input (a file, a row, a key, a value). The CLI prints its message as one
/// line and exits non-zero, without a stack trace; the message must name what is wrong.
/// </summary>
public class NasException : Exception
{
    public NasException(string message)
        : base(message)
    {
    }

    public NasException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
