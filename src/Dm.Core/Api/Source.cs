namespace Dm.Core.Api;

// Upstream source as the OpenAPI shows it. Properties are declared in the order DM's generated Go
// structs marshal them (alphabetical by JSON name).

public sealed record Source
{
    public required bool Enable { get; init; }
    public required bool EnableGtid { get; init; }
    public string? Flavor { get; init; }
    public required string Host { get; init; }
    public string? Password { get; init; }
    public required int Port { get; init; }
    public Purge? Purge { get; init; }
    public RelayConfig? RelayConfig { get; init; }
    public Security? Security { get; init; }
    public required string SourceName { get; init; }
    public List<SourceStatus>? StatusList { get; init; }
    public List<string>? TaskNameList { get; init; }
    public required string User { get; init; }
}

/// <summary>TLS material given as PEM contents (not file paths).</summary>
public sealed record Security
{
    public List<string>? CertAllowedCn { get; init; }
    public required string SslCaContent { get; init; }
    public required string SslCertContent { get; init; }
    public required string SslKeyContent { get; init; }
}

/// <summary>Relay-log purge strategy: interval seconds, expires hours, remain_space GB.</summary>
public sealed record Purge
{
    public long? Expires { get; init; }
    public long? Interval { get; init; }
    public long? RemainSpace { get; init; }
}

public sealed record RelayConfig
{
    public bool? EnableRelay { get; init; }
    public string? RelayBinlogGtid { get; init; }
    public string? RelayBinlogName { get; init; }
    public string? RelayDir { get; init; }
}
