namespace Dm.Worker.Hosting;

/// <summary>dm-worker settings with DM's names, from flags or a TOML file (flags win).</summary>
public sealed record WorkerOptions
{
    public string Name { get; init; } = "dm-worker-" + Environment.MachineName;
    public string WorkerAddr { get; init; } = "127.0.0.1:8262";
    public string? AdvertiseAddr { get; init; }
    /// <summary>Comma-separated master addresses; any of them, the leader answers.</summary>
    public string Join { get; init; } = "127.0.0.1:8261";
    /// <summary>How long the master waits for a heartbeat before it takes this worker offline.</summary>
    public TimeSpan KeepAliveTtl { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>The keepalive TTL while this worker pulls a relay log (DM's relay-keepalive-ttl: a relay worker keeps its source longer).</summary>
    public TimeSpan RelayKeepAliveTtl { get; init; } = TimeSpan.FromSeconds(1800);
    /// <summary>Where the relay log goes (<c>--relay-dir</c>); "" uses the source's relay_dir. Relative to the working directory.</summary>
    public string RelayDir { get; init; } = "";
    public string LogLevel { get; init; } = "info";
    public string? LogFile { get; init; }
    public string? ConfigFile { get; init; }
    /// <summary>DM#: a file holding the cluster's join secret (a master's <c>&lt;data-dir&gt;/join-secret</c>), which every call carries.</summary>
    public string? JoinSecretFile { get; init; }
    /// <summary>
    /// DM#: where the worker keeps its session token with the masters, so that it takes its name back at once after a restart
    /// (<c>--session-file</c>, <c>session-file</c>; null: <c>dm-worker-&lt;name&gt;.session</c> in the working directory).
    /// </summary>
    public string? SessionFile { get; init; }
    /// <summary>DM#: the join secret itself (visible to anyone who lists processes: prefer <see cref="JoinSecretFile"/>).</summary>
    public string? JoinSecret { get; init; }
    /// <summary>DM's <c>ssl-ca</c>, <c>ssl-cert</c>, <c>ssl-key</c>, <c>cert-allowed-cn</c>: TLS to the masters and on this worker's port.</summary>
    public Dm.Core.Tls.TlsSettings Tls { get; init; } = new();
    /// <summary>
    /// A streaming copy sends chunks as CSV through <c>LOAD DATA LOCAL INFILE</c> when the target allows it, instead of
    /// INSERT statements (<c>--stream-csv</c>, <c>stream-csv</c>; <c>DM_STREAM_CSV</c> in the environment).
    /// </summary>
    public bool StreamCsv { get; init; } = true;
    /// <summary>
    /// Tables a streaming copy creates get their plain secondary indexes in one ALTER after the rows
    /// (<c>--defer-indexes</c>, <c>defer-indexes</c>; <c>DM_DEFER_INDEXES</c> in the environment).
    /// </summary>
    public bool DeferIndexes { get; init; } = true;

    public string EffectiveAdvertiseAddr => AdvertiseAddr ?? WorkerAddr;

    public IReadOnlyList<string> Masters => Join.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
