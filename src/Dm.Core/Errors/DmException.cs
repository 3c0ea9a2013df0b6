namespace Dm.Core.Errors;

/// <summary>An error carrying a DM error code; its message is DM's terror string.</summary>
public sealed class DmException : Exception
{
    public DmException(DmError error, string message, Exception? cause = null)
        : base(Render(error, message, cause), cause)
    {
        Error = error;
        RawMessage = message;
    }

    public DmError Error { get; }

    public int Code => Error.Code;

    public string Class => Error.Class;

    public string Scope => Error.Scope;

    public string Level => Error.Level;

    public string Workaround => Error.Workaround;

    /// <summary>The formatted message alone (no tag, cause or workaround).</summary>
    public string RawMessage { get; }

    /// <summary>
    /// DM's terror string: <c>[code=N:class=C:scope=S:level=L], Message: M, RawCause: R, Workaround: W</c>,
    /// each part present only when non-empty.
    /// </summary>
    public string ToErrorMessage() => Message;

    private static string Render(DmError error, string message, Exception? cause)
    {
        var text = error.Tag;
        if (message.Length > 0)
            text += ", Message: " + message;
        if (cause is not null)
            text += ", RawCause: " + (cause is DmException dm ? dm.ToErrorMessage() : cause.Message);
        if (error.Workaround.Length > 0)
            text += ", Workaround: " + error.Workaround;
        return text;
    }
}
