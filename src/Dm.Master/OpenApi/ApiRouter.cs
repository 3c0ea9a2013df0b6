using System.Text.Json;
using Dm.ClusterState;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Core.Metrics;

namespace Dm.Master.OpenApi;

/// <summary>
/// Maps the operation list onto ASP.NET Core routes and renders every failure in DM's shape
/// (<c>{"error_msg", "error_code"}</c>): DM errors and bad input as 400, unknown paths as 404,
/// a wrong method as 405. An unexpected exception is logged and answered 500 in the same shape.
/// </summary>
public static class ApiRouter
{
    private const int OpenApiErrorCode = 49001;

    public static void Map(WebApplication app, IReadOnlyList<ApiOperation> operations, JsonSerializerOptions json, MetricsRegistry metrics)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dm.Master.OpenApi");
        foreach (var op in operations)
        {
            app.MapMethods(op.Path, [op.Method], async (HttpContext http) =>
            {
                var result = await Run(op, http, json, logger);
                metrics.Increment("dm_master_api_requests_total", "OpenAPI requests by operation and status", 1,
                    ("operation", op.OperationId), ("status", StatusOf(result, http).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                return result;
            }).WithName(op.OperationId);
        }

        var pathsToMethods = operations.GroupBy(o => o.Path).ToDictionary(g => g.Key, g => g.Select(o => o.Method).ToList());
        app.MapFallback("/api/v1/{**rest}", (HttpContext http) =>
        {
            var path = http.Request.Path.Value ?? "";
            var known = pathsToMethods.Keys.Any(template => Matches(template, path));
            return known
                ? ApiResults.Error(StatusCodes.Status405MethodNotAllowed, $"method {http.Request.Method} is not allowed on {path}", OpenApiErrorCode, json)
                : ApiResults.Error(StatusCodes.Status404NotFound, $"no matching operation was found for {http.Request.Method} {path}", OpenApiErrorCode, json);
        });
    }

    private static async Task<IResult> Run(ApiOperation op, HttpContext http, JsonSerializerOptions json, ILogger logger)
    {
        var startedAt = TimeProvider.System.GetTimestamp();
        try
        {
            return await op.Handler(new ApiRequest(http, json));
        }
        catch (ApiInputException e)
        {
            return ApiResults.Error(e.Status, e.Message, OpenApiErrorCode, json);
        }
        catch (DmException e)
        {
            logger.LogInformation("{Operation} failed: {Error}", op.OperationId, e.Message);
            return ApiResults.Error(StatusCodes.Status400BadRequest, e.ToErrorMessage(), e.Code, json);
        }
        catch (UpstreamException e)
        {
            // A database the master talked to refused or failed: DM's code for it, the server's words.
            var error = DmErrors.ByCode(e.Code) ?? DmErrors.ErrDBDriverError;
            // A connection no MySQL server answered is told in one message (not refused vs timed out vs "another service
            // listens there": the API is no port scanner); the log keeps the driver's words.
            if (e.PublicMessage != null) logger.LogInformation("{Operation} failed: {Error}", op.OperationId, e.Message);
            var dm = new DmException(error, e.ShownMessage, e.PublicMessage == null ? e.InnerException : null);
            if (e.PublicMessage == null) logger.LogInformation("{Operation} failed: {Error}", op.OperationId, dm.Message);
            if (UnansweredConnect.In(e)) await UnansweredConnect.PadAsync(TimeProvider.System, startedAt, http.RequestAborted);
            return ApiResults.Error(StatusCodes.Status400BadRequest, dm.ToErrorMessage(), dm.Code, json);
        }
        catch (MySqlConnector.MySqlException e)
        {
            // A database error that no service translated is still the database's answer, not an internal fault.
            var dm = DmErrors.ErrDBDriverError.Wrap(e);
            logger.LogWarning("{Operation} failed on a database: {Error}", op.OperationId, dm.Message);
            return ApiResults.Error(StatusCodes.Status400BadRequest, dm.ToErrorMessage(), dm.Code, json);
        }
        catch (NotLeaderException e)
        {
            // This master lost the lead while it handled the request: nothing of it was written; another master leads,
            // or will once the election ends.
            logger.LogInformation("{Operation} refused: {Error}", op.OperationId, e.Message);
            http.Response.Headers.RetryAfter = "1";
            var dm = DmErrors.ErrMasterRequestIsNotForwardToLeader.Wrap(e);
            return ApiResults.Error(StatusCodes.Status503ServiceUnavailable, dm.ToErrorMessage(), dm.Code, json);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return ApiResults.Status(499);
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Operation} failed unexpectedly", op.OperationId);
            return ApiResults.Error(StatusCodes.Status500InternalServerError, $"internal error: {e.Message}", OpenApiErrorCode, json);
        }
    }

    private static int StatusOf(IResult result, HttpContext http) =>
        result is IStatusCodeHttpResult { StatusCode: { } status } ? status : http.Response.StatusCode;

    /// <summary>Whether a concrete path fits a route template such as <c>/api/v1/sources/{source-name}</c>.</summary>
    private static bool Matches(string template, string path)
    {
        var t = template.Trim('/').Split('/');
        var p = path.Trim('/').Split('/');
        if (t.Length != p.Length) return false;
        for (var i = 0; i < t.Length; i++)
            if (!t[i].StartsWith('{') && !string.Equals(t[i], p[i], StringComparison.OrdinalIgnoreCase)) return false;
        return true;
    }
}
