using Dm.Core.Upstream;

namespace Dm.Master.Precheck;

/// <summary>A source table and the target table it is routed to.</summary>
public readonly record struct TableMapping(TableRef Source, TableRef Target);

/// <summary>What is read once per upstream before the checks run; a part that could not be read holds its error.</summary>
internal sealed class SourceSnapshot
{
    public required PrecheckSource Source { get; init; }
    public required ServerInfo Info { get; init; }
    public IReadOnlyList<string>? Grants { get; init; }
    public string? GrantsError { get; init; }
    public MasterStatus? Binlog { get; init; }
    public string? BinlogError { get; init; }
    public required IReadOnlyList<TableMapping> Tables { get; init; }

    /// <summary>Every base table of each schema the schema filter let through, migrated or not (online-DDL shadow tables live here).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> SchemaTables { get; init; }

    /// <summary>Collation name → character set, to tell a table's charset from its collation.</summary>
    public required IReadOnlyDictionary<string, string> Collations { get; init; }

    public string Extra => $"address of db instance - {Source.Endpoint.Address}";
}

/// <summary>What is read once from the downstream.</summary>
internal sealed class TargetSnapshot
{
    public required DatabaseEndpoint Endpoint { get; init; }
    public required string Version { get; init; }
    public IReadOnlyList<string>? Grants { get; init; }
    public string? GrantsError { get; init; }
    public required IReadOnlySet<string> Charsets { get; init; }
    public required IReadOnlySet<string> Engines { get; init; }
    /// <summary>True when the task's checkpoint tables exist: not a fresh task.</summary>
    public required bool HasCheckpoints { get; init; }
    public required bool CaseSensitive { get; init; }
    public required int MaxConnections { get; init; }

    public bool IsTiDb => Version.Contains("tidb", StringComparison.OrdinalIgnoreCase);
    public string Extra => $"address of db instance - {Endpoint.Address}";
}
