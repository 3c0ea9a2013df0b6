using Dm.Binlog.Gtid;

namespace Dm.Core.Upstream;

/// <summary>What the master needs to know about an upstream server, read in one round trip.</summary>
public sealed record ServerInfo
{
    public required string Version { get; init; }
    public required string VersionComment { get; init; }
    /// <summary><see cref="ServerFlavor.MySql"/> or <see cref="ServerFlavor.MariaDb"/>.</summary>
    public required string Flavor { get; init; }
    public required uint ServerId { get; init; }
    public required bool LogBin { get; init; }
    /// <summary>ROW / STATEMENT / MIXED ("" when the server does not report it).</summary>
    public required string BinlogFormat { get; init; }
    /// <summary>FULL / MINIMAL / NOBLOB ("" before MySQL 5.6.2 / MariaDB 10.1.6).</summary>
    public required string BinlogRowImage { get; init; }
    /// <summary>MySQL's gtid_mode (ON/OFF/...); null on MariaDB, which always has GTIDs.</summary>
    public string? GtidMode { get; init; }
    /// <summary>MariaDB's gtid_domain_id; null on MySQL.</summary>
    public uint? GtidDomainId { get; init; }
    /// <summary>MariaDB's gtid_current_pos; null on MySQL.</summary>
    public string? GtidCurrentPos { get; init; }
    public required int LowerCaseTableNames { get; init; }
    public required int MaxConnections { get; init; }

    public bool IsMariaDb => Flavor == ServerFlavor.MariaDb;

    /// <summary>The flavor of the server's GTIDs.</summary>
    public GtidFlavor GtidFlavor => IsMariaDb ? GtidFlavor.MariaDb : GtidFlavor.MySql;

    /// <summary>DM: names are case-sensitive only when lower_case_table_names = 0.</summary>
    public bool CaseSensitive => LowerCaseTableNames == 0;

    /// <summary>GTID replication can be used: MariaDB always, MySQL only with gtid_mode=ON.</summary>
    public bool GtidAvailable => IsMariaDb || string.Equals(GtidMode, "ON", StringComparison.OrdinalIgnoreCase);

    public ServerVersion? ParsedVersion => ServerVersion.TryParse(Version, out var v) ? v : null;
}
