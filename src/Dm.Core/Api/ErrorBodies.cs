using Dm.Core.Errors;

namespace Dm.Core.Api;

/// <summary>Builds the API's error body from an exception, as DM's error renderer does.</summary>
public static class ErrorBodies
{
    /// <summary>DM errors give their terror string and code; anything else gives its message and code 0.</summary>
    public static ErrorWithMessage From(Exception ex) => ex switch
    {
        DmException dm => new ErrorWithMessage { ErrorCode = dm.Code, ErrorMsg = dm.ToErrorMessage() },
        _ => new ErrorWithMessage { ErrorCode = 0, ErrorMsg = ex.Message },
    };
}
