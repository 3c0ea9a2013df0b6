using Dm.Core.Upstream;

namespace Dm.Core.Precheck;

/// <summary>DM's checking-item names, as used in <c>ignore-checking-items</c>.</summary>
public static class CheckingItems
{
    public const string All = "all";
    public const string DumpPrivilege = "dump_privilege";
    public const string ReplicationPrivilege = "replication_privilege";
    public const string Version = "version";
    public const string ServerId = "server_id";
    public const string BinlogEnable = "binlog_enable";
    public const string BinlogFormat = "binlog_format";
    public const string BinlogRowImage = "binlog_row_image";
    public const string TableSchema = "table_schema";
    public const string ShardTableSchema = "schema_of_shard_tables";
    public const string ShardAutoIncrementId = "auto_increment_ID";
    public const string OnlineDdl = "online_ddl";
    public const string BinlogDb = "binlog_db";
    public const string MetaPosition = "meta_position";
    public const string ConnNumber = "conn_number";
    public const string TargetPrivilege = "target_privilege";
    public const string LightningEmptyRegion = "empty_region";
    public const string LightningRegionDistribution = "region_distribution";
    public const string LightningDownstreamVersion = "downstream_version";
    public const string LightningFreeSpace = "free_space";
    public const string LightningMutexFeatures = "downstream_mutex_features";
    public const string LightningTableEmpty = "downstream_table_empty";
    /// <summary>Opt-in only: never part of the default set.</summary>
    public const string PrimaryKey = "primary_key";

    /// <summary>Every name DM accepts in ignore-checking-items (except <see cref="All"/>).</summary>
    public static readonly IReadOnlyList<string> Known =
    [
        DumpPrivilege, ReplicationPrivilege, Version, ServerId, BinlogEnable, BinlogFormat, BinlogRowImage,
        TableSchema, ShardTableSchema, ShardAutoIncrementId, OnlineDdl, BinlogDb, MetaPosition, ConnNumber,
        TargetPrivilege, LightningEmptyRegion, LightningRegionDistribution, LightningDownstreamVersion,
        LightningFreeSpace, LightningMutexFeatures, LightningTableEmpty, PrimaryKey,
    ];

    /// <summary>
    /// The items to run: every default item minus the ignored ones; "all" ignores everything.
    /// An unknown name is DM's config error 20001; an empty name is skipped, as DM does.
    /// </summary>
    public static IReadOnlySet<string> ToRun(IEnumerable<string> ignore)
    {
        var run = new HashSet<string>(Known.Where(i => i != PrimaryKey), StringComparer.Ordinal);
        foreach (var item in ignore)
        {
            if (item.Length == 0) continue;
            if (item == All) return new HashSet<string>();
            if (!Known.Contains(item))
                throw new UpstreamException(UpstreamErrorCodes.CheckItemNotSupported,
                    $"checking item {item} is not supported\nplease choose one of: {All}, {string.Join(", ", Known)}, " +
                    "Workaround: Please check `ignore-checking-items` config in task configuration file.");
            run.Remove(item);
        }
        return run;
    }
}
