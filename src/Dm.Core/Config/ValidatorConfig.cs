using Dm.Core.Config.Yaml;

namespace Dm.Core.Config;

/// <summary>Continuous validator settings (task.yaml <c>validators.&lt;name&gt;</c>); zero values take DM's defaults in Adjust.</summary>
public sealed class ValidatorConfig
{
    public string Mode { get; set; } = "none";
    public int WorkerCount { get; set; }
    public TimeSpan ValidateInterval { get; set; }
    public TimeSpan CheckInterval { get; set; }
    public TimeSpan RowErrorDelay { get; set; }
    public TimeSpan MetaFlushInterval { get; set; }
    public int BatchQuerySize { get; set; }
    public string MaxPendingRowSize { get; set; } = "";
    public int MaxPendingRowCount { get; set; }

    public ValidatorConfig Clone() => (ValidatorConfig)MemberwiseClone();

    /// <summary>Fills DM's defaults and checks the mode (error 20055).</summary>
    public void Adjust()
    {
        if (Mode.Length == 0)
            Mode = "none";
        if (Mode is not ("none" or "fast" or "full"))
            throw Errors.DmErrors.ErrConfigValidationMode.New();
        if (WorkerCount <= 0)
            WorkerCount = 4;
        if (ValidateInterval == TimeSpan.Zero)
            ValidateInterval = TimeSpan.FromSeconds(10);
        if (CheckInterval == TimeSpan.Zero)
            CheckInterval = TimeSpan.FromSeconds(5);
        if (RowErrorDelay == TimeSpan.Zero)
            RowErrorDelay = TimeSpan.FromMinutes(30);
        if (MetaFlushInterval == TimeSpan.Zero)
            MetaFlushInterval = TimeSpan.FromMinutes(5);
        if (BatchQuerySize == 0)
            BatchQuerySize = 100;
        if (MaxPendingRowSize.Length == 0)
            MaxPendingRowSize = "500m";
        if (!ByteSize.TryParse(MaxPendingRowSize, out _))
            throw Errors.DmErrors.ErrConfigYamlTransform.New($"invalid max-pending-row-size \"{MaxPendingRowSize}\"");
        if (MaxPendingRowCount == 0)
            MaxPendingRowCount = int.MaxValue;
    }

    internal static ValidatorConfig Read(YamlMap map)
    {
        var v = new ValidatorConfig
        {
            Mode = map.String("mode") ?? "",
            WorkerCount = map.Int("worker-count") ?? 0,
            ValidateInterval = map.Duration("validate-interval") ?? TimeSpan.Zero,
            CheckInterval = map.Duration("check-interval") ?? TimeSpan.Zero,
            RowErrorDelay = map.Duration("row-error-delay") ?? TimeSpan.Zero,
            MetaFlushInterval = map.Duration("meta-flush-interval") ?? TimeSpan.Zero,
            BatchQuerySize = map.Int("batch-query-size") ?? 0,
            MaxPendingRowSize = map.String("max-pending-row-size") ?? "",
            MaxPendingRowCount = map.Int("max-pending-row-count") ?? 0,
        };
        map.RejectUnknownKeys();
        return v;
    }

    internal YamlMapWriter Write() => new YamlMapWriter()
        .String("mode", Mode).Int("worker-count", WorkerCount)
        .Duration("validate-interval", ValidateInterval).Duration("check-interval", CheckInterval)
        .Duration("row-error-delay", RowErrorDelay).Duration("meta-flush-interval", MetaFlushInterval)
        .Int("batch-query-size", BatchQuerySize).String("max-pending-row-size", MaxPendingRowSize)
        .Int("max-pending-row-count", MaxPendingRowCount);
}
