using Dm.Core.Errors;

namespace Dm.Ctl.Output;

/// <summary>
/// A command failure to print as DM's <c>{"result": false, "msg": ...}</c>. The message always starts with a
/// DM error tag so scripts can read the code; <see cref="Code"/> is that code.
/// </summary>
public sealed class CtlException : Exception
{
    public CtlException(int code, string message) : base(message) => Code = code;

    public int Code { get; }

    public static CtlException From(DmException error) => new(error.Code, error.ToErrorMessage());

    /// <summary>A bad command line: DM's dmctl prints usage errors without a code; we use the OpenAPI's generic code.</summary>
    public static CtlException Usage(string message) =>
        From(DmErrors.ErrOpenAPICommonError.Wrap(new ArgumentException(message)));

    /// <summary>
    /// A command DM has but DM#'s master cannot serve yet: names the command and the master endpoint it
    /// needs, so nothing pretends to have worked.
    /// </summary>
    public static CtlException Unsupported(string command, string neededEndpoint) =>
        From(DmErrors.ErrOpenAPICommonError.Wrap(new NotSupportedException(
            $"`{command}` is not supported: the dm-master has no endpoint for it (needs {neededEndpoint})")));

    /// <summary>
    /// A command whose DM feature DM# does not have at all (not merely a missing endpoint): says which feature,
    /// so nobody reads the failure as a transient one.
    /// </summary>
    public static CtlException FeatureNotBuilt(string command, string feature) =>
        From(DmErrors.ErrOpenAPICommonError.Wrap(new NotSupportedException(
            $"`{command}` is not supported: {feature}")));
}
