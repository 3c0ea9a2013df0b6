using Dm.Core.Errors;

namespace Dm.Core.Config;

/// <summary>
/// DM's checking-item names, as used in <c>ignore-checking-items</c> (the one list: the master's pre-check runs
/// these items), and the validation of that task-config field.
/// </summary>
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

    /// <summary>DM error 20001 for a name that is not a checking item; an empty name is skipped, as DM does.</summary>
    public static void Validate(string item)
    {
        if (item.Length == 0 || item == All) return;
        if (!Known.Contains(item, StringComparer.Ordinal))
            throw DmErrors.ErrConfigCheckItemNotSupport.New(item,
                "supported items: " + string.Join(", ", [All, .. Known]));
    }
}
