using Dm.Core.Errors;

namespace Dm.Core.Config;

/// <summary>Precheck item names accepted by <c>ignore-checking-items</c>.</summary>
public static class CheckingItems
{
    public const string All = "all";

    public static IReadOnlyList<string> Names { get; } =
    [
        All, "dump_privilege", "replication_privilege", "version", "server_id", "binlog_enable", "binlog_format",
        "binlog_row_image", "table_schema", "schema_of_shard_tables", "auto_increment_ID", "online_ddl", "binlog_db",
        "meta_position", "conn_number", "target_privilege", "empty_region", "region_distribution", "downstream_version",
        "free_space", "downstream_mutex_features", "downstream_table_empty", "primary_key",
    ];

    /// <summary>DM error 20001 for a name that is not a checking item.</summary>
    public static void Validate(string item)
    {
        if (!Names.Contains(item, StringComparer.Ordinal))
            throw DmErrors.ErrConfigCheckItemNotSupport.New(item, "supported items: " + string.Join(", ", Names));
    }
}
