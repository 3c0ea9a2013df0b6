namespace Dm.Core.Rules;

/// <summary>The server's own schemas (MySQL, MariaDB and TiDB), which DM never migrates (its filter.IsSystemSchema).</summary>
public static class SystemSchemas
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "mysql", "information_schema", "performance_schema", "sys", "metrics_schema", "inspection_schema",
    };

    public static bool Contains(string schema) => Names.Contains(schema);
}
