using Dm.Core.Config.Yaml;

namespace Dm.Core.Config;

/// <summary>Sync unit settings (task.yaml <c>syncers.&lt;name&gt;</c> or inline <c>syncer</c>).</summary>
public sealed class SyncerConfig
{
    public string MetaFile { get; set; } = "";
    public int WorkerCount { get; set; } = 16;
    public int Batch { get; set; } = 100;
    public int QueueSize { get; set; } = 1024;
    /// <summary>Seconds.</summary>
    public int CheckpointFlushInterval { get; set; } = 30;
    public bool Compact { get; set; }
    public bool MultipleRows { get; set; }
    public int MaxRetry { get; set; }
    public bool AutoFixGtid { get; set; }
    public bool EnableGtid { get; set; }
    public bool DisableDetect { get; set; }
    public bool SafeMode { get; set; }
    /// <summary>Go duration; "" means 2 × checkpoint-flush-interval seconds.</summary>
    public string SafeModeDuration { get; set; } = "60s";

    /// <summary>DM's default safe-mode-duration: 2 × checkpoint-flush-interval.</summary>
    public TimeSpan DefaultSafeModeDuration => TimeSpan.FromSeconds(2 * CheckpointFlushInterval);
    public bool EnableAnsiQuotes { get; set; }

    public SyncerConfig Clone() => (SyncerConfig)MemberwiseClone();

    internal static SyncerConfig Read(YamlMap map)
    {
        var s = new SyncerConfig();
        s.MetaFile = map.String("meta-file") ?? s.MetaFile;
        s.WorkerCount = map.Int("worker-count") ?? s.WorkerCount;
        s.Batch = map.Int("batch") ?? s.Batch;
        s.QueueSize = map.Int("queue-size") ?? s.QueueSize;
        s.CheckpointFlushInterval = map.Int("checkpoint-flush-interval") ?? s.CheckpointFlushInterval;
        s.Compact = map.Bool("compact") ?? s.Compact;
        s.MultipleRows = map.Bool("multiple-rows") ?? s.MultipleRows;
        s.MaxRetry = map.Int("max-retry") ?? s.MaxRetry;
        s.AutoFixGtid = map.Bool("auto-fix-gtid") ?? s.AutoFixGtid;
        s.EnableGtid = map.Bool("enable-gtid") ?? s.EnableGtid;
        s.DisableDetect = map.Bool("disable-detect") ?? s.DisableDetect;
        s.SafeMode = map.Bool("safe-mode") ?? s.SafeMode;
        s.SafeModeDuration = map.String("safe-mode-duration") ?? s.SafeModeDuration;
        s.EnableAnsiQuotes = map.Bool("enable-ansi-quotes") ?? s.EnableAnsiQuotes;
        map.RejectUnknownKeys();
        return s;
    }

    internal YamlMapWriter Write() => new YamlMapWriter()
        .String("meta-file", MetaFile).Int("worker-count", WorkerCount).Int("batch", Batch).Int("queue-size", QueueSize)
        .Int("checkpoint-flush-interval", CheckpointFlushInterval).Bool("compact", Compact).Bool("multiple-rows", MultipleRows)
        .Int("max-retry", MaxRetry).Bool("auto-fix-gtid", AutoFixGtid).Bool("enable-gtid", EnableGtid)
        .Bool("disable-detect", DisableDetect).Bool("safe-mode", SafeMode).String("safe-mode-duration", SafeModeDuration)
        .Bool("enable-ansi-quotes", EnableAnsiQuotes);
}
