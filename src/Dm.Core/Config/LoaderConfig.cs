using Dm.Core.Config.Yaml;

namespace Dm.Core.Config;

/// <summary>Load unit settings (task.yaml <c>loaders.&lt;name&gt;</c> or inline <c>loader</c>).</summary>
public sealed class LoaderConfig
{
    public const string DefaultDir = "./dumped_data";

    public int PoolSize { get; set; } = 16;
    public string Dir { get; set; } = DefaultDir;
    public string SortingDirPhysical { get; set; } = "";
    /// <summary>logical | physical | import-into ("sql"/"loader" are legacy spellings of logical).</summary>
    public string ImportMode { get; set; } = "logical";
    /// <summary>Legacy key for <see cref="OnDuplicateLogical"/>.</summary>
    public string OnDuplicate { get; set; } = "";
    public string OnDuplicateLogical { get; set; } = "replace";
    public string OnDuplicatePhysical { get; set; } = "";
    /// <summary>Bytes; the YAML may say "80G" or give a number.</summary>
    public ulong DiskQuotaPhysical { get; set; }
    public string ChecksumPhysical { get; set; } = "";
    public string Analyze { get; set; } = "";
    public int RangeConcurrency { get; set; }
    public string CompressKvPairs { get; set; } = "";
    public string PdAddr { get; set; } = "";
    /// <summary>TLS for the import target (physical / import-into); written only when set.</summary>
    public SecurityConfig? Security { get; set; }

    public LoaderConfig Clone()
    {
        var c = (LoaderConfig)MemberwiseClone();
        c.Security = Security?.Clone();
        return c;
    }

    internal static LoaderConfig Read(YamlMap map)
    {
        var l = new LoaderConfig();
        l.PoolSize = map.Int("pool-size") ?? l.PoolSize;
        l.Dir = map.String("dir") ?? l.Dir;
        l.SortingDirPhysical = map.String("sorting-dir-physical") ?? l.SortingDirPhysical;
        l.ImportMode = map.String("import-mode") ?? l.ImportMode;
        l.OnDuplicate = map.String("on-duplicate") ?? l.OnDuplicate;
        l.OnDuplicateLogical = map.String("on-duplicate-logical") ?? l.OnDuplicateLogical;
        l.OnDuplicatePhysical = map.String("on-duplicate-physical") ?? l.OnDuplicatePhysical;
        if (map.String("disk-quota-physical") is { } quota)
            l.DiskQuotaPhysical = ByteSize.TryParse(quota, out var bytes) ? bytes : throw map.ValueError("disk-quota-physical", $"invalid size \"{quota}\"");
        l.ChecksumPhysical = map.String("checksum-physical") ?? l.ChecksumPhysical;
        l.Analyze = map.String("analyze") ?? l.Analyze;
        l.RangeConcurrency = map.Int("range-concurrency") ?? l.RangeConcurrency;
        l.CompressKvPairs = map.String("compress-kv-pairs") ?? l.CompressKvPairs;
        l.PdAddr = map.String("pd-addr") ?? l.PdAddr;
        l.Security = map.Map("security") is { } security ? SecurityConfig.Read(security) : null;
        map.RejectUnknownKeys();
        return l;
    }

    internal YamlMapWriter Write()
    {
        var w = Write(new YamlMapWriter());
        return Security is null ? w : w.Map("security", Security.Write());
    }

    private YamlMapWriter Write(YamlMapWriter w) => w
        .Int("pool-size", PoolSize).String("dir", Dir).String("sorting-dir-physical", SortingDirPhysical)
        .String("import-mode", ImportMode).String("on-duplicate", OnDuplicate)
        .String("on-duplicate-logical", OnDuplicateLogical).String("on-duplicate-physical", OnDuplicatePhysical)
        .UInt("disk-quota-physical", DiskQuotaPhysical).String("checksum-physical", ChecksumPhysical)
        .String("analyze", Analyze).Int("range-concurrency", RangeConcurrency)
        .String("compress-kv-pairs", CompressKvPairs).String("pd-addr", PdAddr);
}
