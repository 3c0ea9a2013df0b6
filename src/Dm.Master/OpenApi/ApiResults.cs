using System.Text.Json;
using Dm.Core.Api;

namespace Dm.Master.OpenApi;

/// <summary>The few response shapes DM's handlers produce.</summary>
public static class ApiResults
{
    public static IResult Json<T>(T body, JsonSerializerOptions options, int status = StatusCodes.Status200OK) =>
        Results.Json(body, options, contentType: "application/json; charset=utf-8", statusCode: status);

    /// <summary>Status only, no body (DM's <c>c.Status(...)</c>).</summary>
    public static IResult Status(int status) => Results.StatusCode(status);

    public static IResult Error(int status, string message, int code, JsonSerializerOptions options) =>
        Results.Json(new ErrorWithMessage { ErrorMsg = message, ErrorCode = code }, options,
            contentType: "application/json; charset=utf-8", statusCode: status);
}
