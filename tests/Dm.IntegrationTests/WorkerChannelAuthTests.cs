using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dm.Contracts;
using Dm.TestKit;
using Grpc.Core;

namespace Dm.IntegrationTests;

/// <summary>
/// The worker channel serves only workers: a client is driven against a real master's gRPC-Web endpoints (as a fake worker
/// would) while a real worker has a source with a password bound. Without the join secret nothing is served; with it, a
/// client still cannot watch or heartbeat for another worker's name, claim its dump files or register a live name; the real
/// worker keeps its source all along; the worker's own query service refuses calls without the secret.
/// </summary>
public sealed class WorkerChannelAuthTests : IAsyncLifetime
{
    private MariaDbServer _upstream = null!;
    private DmMasterProcess _master = null!;

    public async Task InitializeAsync()
    {
        _upstream = await MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 41 });
        _master = await DmMasterProcess.StartAsync("auth-master");
    }

    public async Task DisposeAsync()
    {
        await _master.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task OnlyTheWorkerItselfIsServedItsStateAndOnlyWithTheJoinSecret()
    {
        await using var worker = await DmWorkerProcess.StartAsync("worker-1", [_master]);
        var create = await _master.Http.PostAsJsonAsync("/api/v1/sources", new
        {
            source = new { source_name = "mysql-01", host = _upstream.Host, port = _upstream.Port, user = _upstream.User,
                password = _upstream.Password, enable_gtid = false, enable = true },
        });
        Assert.Equal(201, (int)create.StatusCode);
        await MigrationEnvironment.WaitForAsync(async () => await Bound("worker-1") == "mysql-01", "mysql-01 bound to worker-1", TimeSpan.FromSeconds(30));

        // The secret file, the state file and the data dir are the owner's alone.
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_master.JoinSecretPath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_master.DataDirectory, "cluster-state.db")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_master.DataDirectory));
        }
        var secret = File.ReadAllText(_master.JoinSecretPath).Trim();
        using var channel = GrpcWebChannel.Open(_master.Address);
        var hub = new WorkerHub.WorkerHubClient(channel);
        var received = new List<DesiredState>();

        // Without the secret, or with a wrong one: nothing at all.
        foreach (var headers in new[] { new Metadata(), WorkerChannelAuth.Headers("0123" + secret[4..]) })
        {
            Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() =>
                hub.RegisterAsync(new RegisterRequest { Name = "intruder", Address = "127.0.0.1:1" }, headers).ResponseAsync)).StatusCode);
            Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() =>
                hub.HeartbeatAsync(new HeartbeatRequest { Name = "worker-1" }, headers).ResponseAsync)).StatusCode);
            Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => ReadWatchAsync(hub, "worker-1", headers, received))).StatusCode);
        }

        // With the secret but not worker-1's session: no watch, no heartbeat (no forged dump-files claim), no second registration.
        var secretOnly = WorkerChannelAuth.Headers(secret);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => ReadWatchAsync(hub, "worker-1", secretOnly, received))).StatusCode);
        var forged = new HeartbeatRequest { Name = "worker-1" };
        forged.DumpFileSources.Add("mysql-01");
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => hub.HeartbeatAsync(forged, secretOnly).ResponseAsync)).StatusCode);
        var address = $"127.0.0.1:{worker.Port}";
        Assert.Equal(StatusCode.AlreadyExists, (await Assert.ThrowsAsync<RpcException>(() =>
            hub.RegisterAsync(new RegisterRequest { Name = "worker-1", Address = address, KeepaliveTtlSeconds = 3 }, secretOnly).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.AlreadyExists, (await Assert.ThrowsAsync<RpcException>(() =>
            hub.RegisterAsync(new RegisterRequest { Name = "worker-1", Address = address }, WorkerChannelAuth.Headers(secret, WorkerChannelAuth.NewToken())).ResponseAsync)).StatusCode);

        // A worker of its own (it holds the secret) is served its own state only, under its own session.
        var own = await hub.RegisterAsync(new RegisterRequest { Name = "intruder", Address = "127.0.0.1:1", KeepaliveTtlSeconds = 30 }, secretOnly);
        var ownHeaders = WorkerChannelAuth.Headers(secret, own.Session);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => ReadWatchAsync(hub, "worker-1", ownHeaders, received))).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => hub.HeartbeatAsync(forged, ownHeaders).ResponseAsync)).StatusCode);
        Assert.True((await hub.HeartbeatAsync(new HeartbeatRequest { Name = "intruder" }, ownHeaders)).Known);
        using (var watch = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            try { await ReadWatchAsync(hub, "intruder", ownHeaders, received, watch.Token); }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled) { }
        }
        Assert.NotEmpty(received);
        Assert.All(received, state => Assert.Equal("", state.BoundSource));
        Assert.All(received, state => Assert.DoesNotContain(_upstream.Password, state.ToString(), StringComparison.Ordinal));

        // The worker's own query service serves only the masters (calls that carry the secret).
        using var workerChannel = GrpcWebChannel.Open(address);
        var query = new WorkerQuery.WorkerQueryClient(workerChannel);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() =>
            query.ListSchemasAsync(new SubtaskRef { Task = "t", Source = "mysql-01" }).ResponseAsync)).StatusCode);

        // All along, worker-1 kept its session and its source, and the master reports refusals in its log.
        Assert.Equal("mysql-01", await Bound("worker-1"));
        Assert.Contains("refused", _master.ReadLog(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, _master.ReadLog(), StringComparison.Ordinal);
    }

    private static async Task ReadWatchAsync(WorkerHub.WorkerHubClient hub, string name, Metadata headers, List<DesiredState> received,
        CancellationToken ct = default)
    {
        using var call = hub.Watch(new WatchRequest { Name = name }, headers, cancellationToken: ct);
        await foreach (var state in call.ResponseStream.ReadAllAsync(ct)) received.Add(state);
    }

    private async Task<string?> Bound(string worker)
    {
        var list = await _master.Http.GetFromJsonAsync<JsonObject>("/api/v1/cluster/workers");
        var entry = list!["data"]!.AsArray().FirstOrDefault(w => w!["name"]!.GetValue<string>() == worker);
        return entry?["bound_stage"]?.GetValue<string>() == "bound" ? entry["bound_source_name"]!.GetValue<string>() : null;
    }
}
