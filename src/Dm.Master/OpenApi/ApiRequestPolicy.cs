using System.Net;
using Dm.Core.Api;
using Dm.Master.Hosting;
using Microsoft.AspNetCore.Http.Features;

namespace Dm.Master.OpenApi;

/// <summary>
/// Browser and network hygiene for <c>/api/v1</c>, checked before anything else (before a follower forwards, and again on
/// the leader), each refusal in DM's error shape (49001):
/// <list type="bullet">
/// <item>Host (without TLS): the Host header must name this master: an IP literal, <c>localhost</c>, the host of
/// <c>master-addr</c> or <c>advertise-addr</c>, or this machine's name; any other name is refused with 421, so a web page
/// whose DNS name is rebound to the master's address cannot reach it. With TLS a browser cannot be made to accept the
/// master's certificate for another name, and clients must present a certificate, so the check is not needed.</item>
/// <item>Origin: a state-changing request (POST, PUT, PATCH, DELETE) from a browser page of another origin (an
/// <c>Origin</c> header not naming the request's own host, or <c>null</c>; <c>Sec-Fetch-Site: cross-site/same-site</c>)
/// is refused with 403.</item>
/// <item>Content-Type: a state-changing request with a body must send <c>application/json</c> (or <c>*+json</c>); one
/// that sends any other type, even with an empty body (an HTML form's POST), is refused with 415. A request with no body
/// and no Content-Type at all stays allowed: DM's OpenAPI guide starts and stops tasks with a bare
/// <c>curl -X POST .../start</c>, and a browser cannot send such a request cross-site without an Origin header.</item>
/// </list>
/// A request forwarded by another master carries the leader's advertise address as Host (YARP does not copy the
/// client's), so it passes on the leader.
/// </summary>
public sealed class ApiRequestPolicy
{
    private const int OpenApiErrorCode = 49001;
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase) { "localhost" };
    private readonly bool _checkHost;

    public ApiRequestPolicy(MasterOptions options)
    {
        _checkHost = !options.Tls.Any;
        foreach (var addr in new[] { options.MasterAddr, options.EffectiveAdvertiseAddr })
            if (HostOf(addr) is { Length: > 0 } host) _names.Add(host);
        _names.Add(Environment.MachineName);
        try { _names.Add(Dns.GetHostName()); }
        catch (System.Net.Sockets.SocketException) { }
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/api/v1") && Refusal(context.Request) is var (status, message))
        {
            await ApiResults.Error(status, message, OpenApiErrorCode, ApiJson.Options).ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    /// <summary>Why the request is refused (status and message), or null when it may go on.</summary>
    public (int Status, string Message)? Refusal(HttpRequest request)
    {
        var host = request.Host.Host;
        if (_checkHost && host.Length > 0 && !IsAllowedHost(host))
            return (StatusCodes.Status421MisdirectedRequest,
                $"Host '{Clip(request.Host.Value ?? "")}' is not an address of this dm-master (use its master-addr or advertise-addr, an IP address or localhost)");
        if (!ChangesState(request.Method)) return null;

        if (request.Headers.Origin is { Count: > 0 } origins)
        {
            var origin = origins.ToString();
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase) ||
                !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
                return (StatusCodes.Status403Forbidden, $"cross-origin request from '{Clip(origin)}' refused: dm-master's API does not serve other web origins");
        }
        if (request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site")
            return (StatusCodes.Status403Forbidden, "cross-site request refused: dm-master's API does not serve other web origins");

        var contentType = request.ContentType;
        var hasBody = request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
        if (contentType is { Length: > 0 } ? !IsJson(contentType) : hasBody)
            return (StatusCodes.Status415UnsupportedMediaType,
                $"{request.Method} {request.Path} needs Content-Type: application/json, got {(contentType is { Length: > 0 } ? "'" + Clip(contentType) + "'" : "none")}");
        return null;
    }

    private bool IsAllowedHost(string host) =>
        IPAddress.TryParse(host.Trim('[', ']'), out _) || _names.Contains(host) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    private static bool ChangesState(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    public static bool IsJson(string contentType)
    {
        var media = contentType.Split(';')[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
               || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static string? HostOf(string addr)
    {
        var text = addr.Contains("://", StringComparison.Ordinal) ? addr : "http://" + addr;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri.Host.Trim('[', ']') : null;
    }

    private static string Clip(string s) => s.Length <= 64 ? s : s[..64] + "...";
}
