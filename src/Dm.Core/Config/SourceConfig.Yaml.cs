using Dm.Core.Config.Yaml;

namespace Dm.Core.Config;

// source.yaml decoding (strict) and encoding with DM's keys in DM's order.
public sealed partial class SourceConfig
{
    /// <summary>Decodes source.yaml strictly (DM error 20003 naming key and line). Does not validate.</summary>
    public static SourceConfig FromYaml(string yaml)
    {
        var map = YamlMap.ParseDocument(yaml, "source config");
        var c = new SourceConfig();
        c.Enable = map.Bool("enable") ?? c.Enable;
        c.EnableGtid = map.Bool("enable-gtid") ?? c.EnableGtid;
        c.AutoFixGtid = map.Bool("auto-fix-gtid") ?? c.AutoFixGtid;
        c.RelayDir = map.String("relay-dir") ?? c.RelayDir;
        c.MetaDir = map.String("meta-dir") ?? c.MetaDir;
        c.Flavor = map.String("flavor") ?? c.Flavor;
        c.Charset = map.String("charset") ?? c.Charset;
        c.EnableRelay = map.Bool("enable-relay") ?? c.EnableRelay;
        c.RelayBinlogName = map.String("relay-binlog-name") ?? c.RelayBinlogName;
        c.RelayBinlogGtid = map.String("relay-binlog-gtid") ?? c.RelayBinlogGtid;
        c.SourceId = map.String("source-id") ?? c.SourceId;
        if (map.Map("from") is { } from)
            c.From = DbConfig.Read(from);
        if (map.Map("purge") is { } purge)
        {
            c.Purge = new PurgeConfig
            {
                Interval = purge.Int64("interval") ?? c.Purge.Interval,
                Expires = purge.Int64("expires") ?? c.Purge.Expires,
                RemainSpace = purge.Int64("remain-space") ?? c.Purge.RemainSpace,
            };
            purge.RejectUnknownKeys();
        }
        if (map.Map("checker") is { } checker)
        {
            var d = c.Checker;
            c.Checker = new CheckerConfig
            {
                CheckEnable = checker.Bool("check-enable") ?? d.CheckEnable,
                BackoffRollback = checker.Duration("backoff-rollback") ?? d.BackoffRollback,
                BackoffMax = checker.Duration("backoff-max") ?? d.BackoffMax,
                CheckInterval = checker.Duration("check-interval") ?? d.CheckInterval,
                BackoffMin = checker.Duration("backoff-min") ?? d.BackoffMin,
                BackoffJitter = checker.Bool("backoff-jitter") ?? d.BackoffJitter,
                BackoffFactor = checker.Double("backoff-factor") ?? d.BackoffFactor,
            };
            checker.RejectUnknownKeys();
        }
        c.ServerId = map.UInt32("server-id") ?? c.ServerId;
        _ = map.OpaqueMapCount("tracer");
        c.CaseSensitive = map.Bool("case-sensitive") ?? c.CaseSensitive;
        c.Filters = (map.Maps("filters") ?? []).Select(RuleYaml.ReadFilter).ToList();
        map.RejectUnknownKeys();
        // DM overwrites the deprecated auto-fix-gtid to false when loading.
        c.AutoFixGtid = false;
        return c;
    }

    public string ToYaml() => new YamlMapWriter()
        .Bool("enable", Enable).Bool("enable-gtid", EnableGtid).Bool("auto-fix-gtid", AutoFixGtid)
        .String("relay-dir", RelayDir).String("meta-dir", MetaDir).String("flavor", Flavor).String("charset", Charset)
        .Bool("enable-relay", EnableRelay).String("relay-binlog-name", RelayBinlogName).String("relay-binlog-gtid", RelayBinlogGtid)
        .String("source-id", SourceId).Map("from", From.Write())
        .Map("purge", new YamlMapWriter().Int("interval", Purge.Interval).Int("expires", Purge.Expires).Int("remain-space", Purge.RemainSpace))
        .Map("checker", new YamlMapWriter().Bool("check-enable", Checker.CheckEnable)
            .Duration("backoff-rollback", Checker.BackoffRollback).Duration("backoff-max", Checker.BackoffMax)
            .Duration("check-interval", Checker.CheckInterval).Duration("backoff-min", Checker.BackoffMin)
            .Bool("backoff-jitter", Checker.BackoffJitter).Double("backoff-factor", Checker.BackoffFactor))
        .UInt("server-id", ServerId).Map("tracer", new YamlMapWriter()).Bool("case-sensitive", CaseSensitive)
        .Maps("filters", Filters.Select(RuleYaml.WriteFilter))
        .ToString();
}
