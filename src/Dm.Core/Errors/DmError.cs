namespace Dm.Core.Errors;

/// <summary>
/// One entry of DM's error catalogue: numeric code, class, scope, level, a Go-style message format
/// and an optional workaround. Create exceptions with <see cref="New"/> or <see cref="Wrap"/>.
/// </summary>
public sealed record DmError(int Code, string Name, string Class, string Scope, string Level, string MessageFormat, string Workaround)
{
    /// <summary>The message with the Go verbs (%s, %v, %d, %+v, %T) filled from <paramref name="args"/>.</summary>
    public string FormatMessage(params object?[] args) => GoFormat.Apply(MessageFormat, args);

    public DmException New(params object?[] args) => new(this, FormatMessage(args));

    public DmException Wrap(Exception cause, params object?[] args) => new(this, FormatMessage(args), cause);

    /// <summary>This code with a message of the caller's own instead of the catalogue's (DM's Generatef).</summary>
    public DmException WithMessage(string message, Exception? cause = null) => new(this, message, cause);

    /// <summary>DM's base tag, e.g. <c>[code=46008:class=scheduler:scope=internal:level=medium]</c>.</summary>
    public string Tag => $"[code={Code}:class={Class}:scope={Scope}:level={Level}]";
}
