using System.Net;
using Dm.Contracts;
using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Core.Tls;
using Dm.Master.Hosting;
using Dm.Master.OpenApi;
using Yarp.ReverseProxy.Forwarder;

namespace Dm.Master.Ha;

/// <summary>
/// Clients may call any master, as in DM: a master that is not the leader forwards every <c>/api/v1</c> request to the
/// leader's advertise address unchanged (method, path, query, headers, body) and returns the leader's answer unchanged
/// (status, headers, body), through YARP's forwarder. With no leader, or a leader that cannot be reached, it answers 503
/// in DM's error shape (38043, an election in progress). A request already forwarded once is not forwarded again (two
/// masters that each think the other leads must not pass it back and forth). With TLS keys it forwards over https,
/// presenting its own certificate, and accepts only a leader whose certificate ssl-ca issued for the address it advertises
/// (the leader checks this master's certificate, common name included, as it checks any client's).
/// </summary>
public sealed class LeaderForwarding(MasterElection election, MasterOptions options, ProcessTls tls, IHttpForwarder forwarder,
    ILogger<LeaderForwarding> logger) : IDisposable
{
    /// <summary>Set on a forwarded request: the name of the master that forwarded it.</summary>
    public const string ForwardedByHeader = "X-DM-Forwarded-By";

    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        SslOptions = tls.Identity?.ClientOptions() ?? new System.Net.Security.SslClientAuthenticationOptions(),
    });

    private readonly ForwarderRequestConfig _config = new() { ActivityTimeout = options.RpcTimeout + TimeSpan.FromSeconds(90) };

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments("/api/v1") || election.IsLeader)
        {
            await next(context);
            return;
        }
        if (context.Request.Headers.TryGetValue(ForwardedByHeader, out var by))
        {
            await RefuseAsync(context, $"dm-master {options.Name} got a request forwarded by {by} but is not the leader either; an election is in progress");
            return;
        }
        if (election.Leader is not { } leader || leader.Name == options.Name)
        {
            await RefuseAsync(context, $"no dm-master leads now (asked dm-master {options.Name}): an election is in progress, try again shortly");
            return;
        }
        context.Request.Headers[ForwardedByHeader] = options.Name;
        var error = await forwarder.SendAsync(context, GrpcWebChannel.Url(leader.Addr, tls.Identity != null), _client, _config, HttpTransformer.Default);
        if (error == ForwarderError.None) return;
        var detail = context.GetForwarderErrorFeature()?.Exception?.Message ?? error.ToString();
        logger.LogInformation("forwarding {Method} {Path} to the leader {Leader} at {Addr} failed: {Error}", context.Request.Method, context.Request.Path,
            leader.Name, leader.Addr, detail);
        if (!context.Response.HasStarted)
            await RefuseAsync(context, $"dm-master {options.Name} cannot reach the leader {leader.Name} at {leader.Addr} ({detail}); it may have failed and an election be in progress, try again shortly");
    }

    private static async Task RefuseAsync(HttpContext context, string why)
    {
        context.Response.Clear();
        context.Response.Headers.RetryAfter = "1";
        var error = DmErrors.ErrMasterRequestIsNotForwardToLeader.Wrap(new InvalidOperationException(why));
        await ApiResults.Error(StatusCodes.Status503ServiceUnavailable, error.ToErrorMessage(), error.Code, ApiJson.Options).ExecuteAsync(context);
    }

    public void Dispose() => _client.Dispose();
}
