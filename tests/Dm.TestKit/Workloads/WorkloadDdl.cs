namespace Dm.TestKit.Workloads;

/// <summary>
/// Random DDL that MariaDB accepts upstream and a MariaDB target accepts as well: ADD COLUMN (at the end, FIRST or
/// AFTER a column), MODIFY COLUMN (widening, sometimes moving it), DROP COLUMN, CREATE, RENAME (also across schemas),
/// TRUNCATE and DROP TABLE. Each statement comes with the catalog change to make once it has succeeded.
/// </summary>
public sealed class WorkloadDdl(Random random, WorkloadCatalog catalog)
{
    private static readonly string[] AddedTypes = ["INT", "BIGINT", "VARCHAR(20)", "DATETIME(3)", "DECIMAL(10,2)"];

    /// <summary>The widening each added type may get from MODIFY COLUMN.</summary>
    private static string Widened(string type) => type switch
    {
        "INT" => "BIGINT",
        "VARCHAR(20)" => "VARCHAR(40)",
        "DECIMAL(10,2)" => "DECIMAL(14,4)",
        _ => type,
    };

    /// <summary>Position-defining columns of each fixed table (ADD ... AFTER them shifts the row image).</summary>
    private static readonly Dictionary<string, string[]> Anchors = new()
    {
        ["orders"] = ["id", "k", "note text", "amount"],
        ["all types"] = ["id", "c_int", "c_json", "c_point"],
        ["mariadb types"] = ["id", "c_uuid"],
        ["uk only"] = ["u", "w"],
        ["composite pk"] = ["g", "h", "select"],
        ["no_key"] = ["a", "b", "c"],
    };

    public (string Kind, string Sql, Action Commit) Next()
    {
        var dynamic = catalog.DynamicTables();
        var choice = random.Next(100);
        if (dynamic.Count == 0 || choice < 20) return Create();
        return choice switch
        {
            < 45 => AddColumn(),
            < 58 => ModifyColumn() ?? AddColumn(),
            < 70 => DropColumn() ?? AddColumn(),
            < 80 => Rename(random.Pick(dynamic)),
            < 90 => ("truncate", $"TRUNCATE TABLE {Q(random.Pick(dynamic))}", () => { }),
            _ => Drop(random.Pick(dynamic)),
        };
    }

    private (string, string, Action) Create()
    {
        var tables = catalog.Tables;
        var table = (random.Chance(0.5) ? tables.SchemaA : tables.SchemaB, $"dyn {catalog.NextNameNumber()}");
        return ("create-table", $"CREATE TABLE {Q(table)} (id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(20), n INT NOT NULL DEFAULT 0)",
            () => catalog.TableCreated(table));
    }

    private (string, string, Action) AddColumn()
    {
        var table = random.Pick(catalog.TablesWithAddedColumns());
        var column = new WorkloadCatalog.AddedColumn($"x_{catalog.NextNameNumber()}", random.Pick(AddedTypes));
        var placement = random.Next(4) switch
        {
            0 => " FIRST",
            1 => $" AFTER {SqlText.Name(random.Pick(AnchorsOf(table)))}",
            _ => "",
        };
        var defaultValue = random.Chance(0.5) ? "" : column.Type switch
        {
            "INT" or "BIGINT" => $" DEFAULT {random.Next(-5, 100)}",
            "VARCHAR(20)" => " DEFAULT 'dflt'",
            "DATETIME(3)" => " DEFAULT '2001-01-01 00:00:00.123'",
            _ => " DEFAULT 1.5",
        };
        return ("add-column", $"ALTER TABLE {Q(table)} ADD COLUMN {SqlText.Name(column.Name)} {column.Type}{defaultValue}{placement}",
            () => catalog.ColumnAdded(table, column));
    }

    private (string, string, Action)? ModifyColumn()
    {
        var table = random.Pick(catalog.TablesWithAddedColumns());
        var columns = catalog.AddedColumns(table);
        if (columns.Count == 0) return null;
        var column = random.Pick(columns);
        var widened = column with { Type = Widened(column.Type) };
        var placement = random.Chance(0.3) ? $" AFTER {SqlText.Name(random.Pick(AnchorsOf(table)))}" : "";
        return ("modify-column", $"ALTER TABLE {Q(table)} MODIFY COLUMN {SqlText.Name(column.Name)} {widened.Type}{placement}",
            () => catalog.ColumnChanged(table, widened));
    }

    private (string, string, Action)? DropColumn()
    {
        var table = random.Pick(catalog.TablesWithAddedColumns());
        var columns = catalog.AddedColumns(table);
        if (columns.Count == 0) return null;
        var column = random.Pick(columns);
        return ("drop-column", $"ALTER TABLE {Q(table)} DROP COLUMN {SqlText.Name(column.Name)}", () => catalog.ColumnDropped(table, column.Name));
    }

    private (string, string, Action) Rename((string Schema, string Table) from)
    {
        var tables = catalog.Tables;
        var to = (random.Chance(0.5) ? tables.SchemaA : tables.SchemaB, $"dyn {catalog.NextNameNumber()} renamed");
        return ("rename-table", $"RENAME TABLE {Q(from)} TO {Q(to)}", () => catalog.TableRenamed(from, to));
    }

    private (string, string, Action) Drop((string Schema, string Table) table) =>
        ("drop-table", $"DROP TABLE {Q(table)}", () => catalog.TableDropped(table));

    private static string[] AnchorsOf((string Schema, string Table) table) =>
        Anchors.TryGetValue(table.Table, out var anchors) ? anchors : ["id", "v", "n"];

    private static string Q((string Schema, string Table) table) => SqlText.Name(table.Schema, table.Table);
}
