using Dm.Core.Config;
using Dm.Core.Upstream;

namespace Dm.Master.Precheck;

/// <summary>A schema-qualified table name.</summary>
public readonly record struct TableRef(string Schema, string Table)
{
    public override string ToString() => Quote.Table(Schema, Table);
}

/// <summary>One upstream of the task, with the task's filters and routes for it already resolved to functions.</summary>
public sealed record PrecheckSource(string SourceId, DatabaseEndpoint Endpoint)
{
    /// <summary>Block-allow list on schemas (cheap pre-filter so unwanted schemas are not listed); default: all.</summary>
    public Func<string, bool> SchemaFilter { get; init; } = _ => true;

    /// <summary>Block-allow list on tables: true = migrate; default: all.</summary>
    public Func<string, string, bool> TableFilter { get; init; } = (_, _) => true;

    /// <summary>Routes a source table to its target table; default: same name.</summary>
    public Func<TableRef, TableRef> Router { get; init; } = t => t;

    /// <summary>The task's start point for this source (incremental mode); null when not given.</summary>
    public BinlogMeta? Meta { get; init; }

    /// <summary>The source config's enable-gtid: the meta is then checked as a GTID set.</summary>
    public bool EnableGtid { get; init; }

    /// <summary>With relay on, the worker reads its own relay log: the meta position is not checked upstream.</summary>
    public bool EnableRelay { get; init; }
}

/// <summary>Everything the precheck needs from a task config.</summary>
public sealed record PrecheckRequest
{
    public required string TaskName { get; init; }

    /// <summary>DM task-mode: all, full, incremental, dump, load.</summary>
    public required string Mode { get; init; }

    public required IReadOnlyList<PrecheckSource> Sources { get; init; }
    public required DatabaseEndpoint Target { get; init; }
    public IReadOnlyCollection<string> IgnoreCheckingItems { get; init; } = [];

    /// <summary>"" (no sharding), "pessimistic" or "optimistic".</summary>
    public string ShardMode { get; init; } = "";

    /// <summary>The dumper's consistency: auto, flush, lock, snapshot, none.</summary>
    public string Consistency { get; init; } = "auto";

    /// <summary>mydumpers.threads: the dumper needs this many connections plus two on each source.</summary>
    public int DumpThreads { get; init; } = 4;

    /// <summary>loaders.pool-size: the loader needs this many connections plus one on the target, per source.</summary>
    public int LoaderPoolSize { get; init; } = 16;

    /// <summary>The task's online-ddl switch: a migrated table must not be mid-way through gh-ost / pt-osc.</summary>
    public bool OnlineDdl { get; init; }

    /// <summary>Regexes naming online-DDL shadow tables; group 1 is the real table (DM's default covers gh-ost and pt-osc).</summary>
    public IReadOnlyList<string> ShadowTableRules { get; init; } = [@"^_(.+)_(?:new|gho)$"];

    /// <summary>The task's meta-schema on the target (checkpoint tables tell a fresh task from a resumed one).</summary>
    public string MetaSchema { get; init; } = "dm_meta";

    /// <summary>Display caps of DM's --error / --warn (the summary counts everything).</summary>
    public int ErrorLimit { get; init; } = 10;
    public int WarnLimit { get; init; } = 10;

    /// <summary>At most this many connections are open at once across the whole precheck.</summary>
    public int MaxConnections { get; init; } = 8;

    internal bool HasDump => Mode is "all" or "full" or "dump";
    internal bool HasSync => Mode is "all" or "incremental";
}
