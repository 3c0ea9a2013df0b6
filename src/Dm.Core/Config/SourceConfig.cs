using Dm.Core.Rules;

namespace Dm.Core.Config;

/// <summary>
/// DM's source.yaml: one upstream MySQL/MariaDB. Decode with <see cref="FromYaml"/> (strict), check
/// with <see cref="Validate"/>, encode with <see cref="ToYaml"/>. Property defaults are DM's.
/// </summary>
public sealed partial class SourceConfig
{
    public const int MaxSourceIdLength = 32;
    public const string DefaultRelayDir = "relay-dir";

    public bool Enable { get; set; } = true;
    public bool EnableGtid { get; set; }
    /// <summary>Deprecated; DM forces it to false.</summary>
    public bool AutoFixGtid { get; set; }
    public string RelayDir { get; set; } = "";
    /// <summary>Deprecated.</summary>
    public string MetaDir { get; set; } = "";
    /// <summary>"" (detect) | mysql | mariadb.</summary>
    public string Flavor { get; set; } = "";
    /// <summary>Deprecated.</summary>
    public string Charset { get; set; } = "";
    public bool EnableRelay { get; set; }
    public string RelayBinlogName { get; set; } = "";
    public string RelayBinlogGtid { get; set; } = "";
    public string SourceId { get; set; } = "";
    public DbConfig From { get; set; } = new();
    public PurgeConfig Purge { get; set; } = new();
    public CheckerConfig Checker { get; set; } = new();
    /// <summary>0 means "pick a free random one" when the source is created.</summary>
    public uint ServerId { get; set; }
    public bool CaseSensitive { get; set; }
    public List<BinlogEventRule> Filters { get; set; } = [];

    public SourceConfig Clone()
    {
        var c = (SourceConfig)MemberwiseClone();
        c.From = From.Clone();
        c.Purge = Purge with { };
        c.Checker = Checker with { };
        c.Filters = Filters.Select(f => f with { Events = [.. f.Events], SqlPattern = [.. f.SqlPattern] }).ToList();
        return c;
    }
}

/// <summary>Relay-log purge strategy: interval in seconds, expires in hours (0 = never by age), remain-space in GB.</summary>
public sealed record PurgeConfig
{
    public long Interval { get; set; } = 3600;
    public long Expires { get; set; }
    public long RemainSpace { get; set; } = 15;
}

/// <summary>Auto-resume of paused tasks (DM's CheckerConfig).</summary>
public sealed record CheckerConfig
{
    public bool CheckEnable { get; set; } = true;
    public TimeSpan BackoffRollback { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan BackoffMin { get; set; } = TimeSpan.FromSeconds(1);
    public bool BackoffJitter { get; set; } = true;
    public double BackoffFactor { get; set; } = 2;
}
