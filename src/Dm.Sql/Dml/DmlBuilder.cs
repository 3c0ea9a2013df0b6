using System.Text;
using Dm.Sql.Ast;
using Dm.Sql.Printing;
using Dm.Sql.Tracking;

namespace Dm.Sql.Dml;

/// <summary>
/// Builds DML for a tracked table from row images (one value per column, in column order, as the
/// binlog gives them). Rows are identified by the primary key, else the first unique key whose
/// columns are all NOT NULL, else by every column (then UPDATE/DELETE touch at most one row with
/// LIMIT 1). Generated and system-versioning period columns are never written. Values travel as parameters; identifiers are quoted
/// by <see cref="Quoting"/>.
/// </summary>
public static class DmlBuilder
{
    /// <summary>INSERT / INSERT IGNORE / REPLACE / upsert of one or more rows.</summary>
    public static DmlStatement Insert(TableInfo table, IReadOnlyList<IReadOnlyList<object?>> rows, InsertMode mode = InsertMode.Insert, TableName? target = null)
    {
        if (rows.Count == 0) throw new ArgumentException("no rows", nameof(rows));
        var written = WritableColumns(table);
        var sb = new StringBuilder(64 + rows.Count * written.Count * 3);
        sb.Append(mode switch
        {
            InsertMode.Replace => "REPLACE INTO ",
            InsertMode.InsertIgnore => "INSERT IGNORE INTO ",
            _ => "INSERT INTO ",
        });
        AppendTable(sb, table, target);
        sb.Append(" (");
        for (var i = 0; i < written.Count; i++)
        {
            if (i > 0) sb.Append(',');
            Quoting.AppendIdentifier(sb, written[i].Name);
        }
        sb.Append(") VALUES ");
        var parameters = new List<object?>(rows.Count * written.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = CheckRow(table, rows[r]);
            if (r > 0) sb.Append(',');
            sb.Append('(');
            for (var i = 0; i < written.Count; i++)
            {
                sb.Append(i == 0 ? "?" : ",?");
                parameters.Add(row[written[i].Ordinal]);
            }
            sb.Append(')');
        }
        if (mode == InsertMode.Upsert)
        {
            sb.Append(" ON DUPLICATE KEY UPDATE ");
            for (var i = 0; i < written.Count; i++)
            {
                if (i > 0) sb.Append(',');
                Quoting.AppendIdentifier(sb, written[i].Name);
                sb.Append("=VALUES(");
                Quoting.AppendIdentifier(sb, written[i].Name);
                sb.Append(')');
            }
        }
        return new DmlStatement(sb.ToString(), parameters);
    }

    /// <summary>UPDATE one row from its before image to its after image.</summary>
    public static DmlStatement Update(TableInfo table, IReadOnlyList<object?> before, IReadOnlyList<object?> after, TableName? target = null)
    {
        CheckRow(table, before);
        CheckRow(table, after);
        var written = WritableColumns(table);
        var sb = new StringBuilder(128);
        var parameters = new List<object?>();
        sb.Append("UPDATE ");
        AppendTable(sb, table, target);
        sb.Append(" SET ");
        for (var i = 0; i < written.Count; i++)
        {
            if (i > 0) sb.Append(',');
            Quoting.AppendIdentifier(sb, written[i].Name);
            sb.Append("=?");
            parameters.Add(after[written[i].Ordinal]);
        }
        sb.Append(" WHERE ");
        var key = KeyColumns(table, out var byAllColumns);
        AppendRowCondition(sb, parameters, key, before);
        if (byAllColumns) sb.Append(" LIMIT 1");
        return new DmlStatement(sb.ToString(), parameters);
    }

    /// <summary>DELETE of one or more rows, identified by key (or by all columns, one statement per row).</summary>
    public static IReadOnlyList<DmlStatement> Delete(TableInfo table, IReadOnlyList<IReadOnlyList<object?>> rows, TableName? target = null)
    {
        if (rows.Count == 0) throw new ArgumentException("no rows", nameof(rows));
        var key = KeyColumns(table, out var byAllColumns);
        if (byAllColumns)
        {
            // Without a key a row is deleted by all its values, as many copies as were deleted: identical rows are
            // indistinguishable, so n of them go in one statement (each statement is a table scan for the target).
            return IdenticalRows.Count(rows.Select(row => CheckRow(table, row))).Select(group =>
            {
                var sb = new StringBuilder("DELETE FROM ");
                AppendTable(sb, table, target);
                sb.Append(" WHERE ");
                var parameters = new List<object?>();
                AppendRowCondition(sb, parameters, key, group.Row);
                sb.Append(" LIMIT ").Append(group.Count);
                return new DmlStatement(sb.ToString(), parameters);
            }).ToList();
        }

        var text = new StringBuilder("DELETE FROM ");
        var values = new List<object?>(rows.Count * key.Count);
        AppendTable(text, table, target);
        text.Append(" WHERE ");
        if (key.Count == 1)
        {
            Quoting.AppendIdentifier(text, key[0].Name);
            if (rows.Count == 1) text.Append("=?");
            else
            {
                text.Append(" IN (");
                for (var r = 0; r < rows.Count; r++) text.Append(r == 0 ? "?" : ",?");
                text.Append(')');
            }
            foreach (var row in rows) values.Add(CheckRow(table, row)[key[0].Ordinal]);
        }
        else
        {
            text.Append('(');
            for (var i = 0; i < key.Count; i++)
            {
                if (i > 0) text.Append(',');
                Quoting.AppendIdentifier(text, key[i].Name);
            }
            text.Append(") IN (");
            for (var r = 0; r < rows.Count; r++)
            {
                var row = CheckRow(table, rows[r]);
                text.Append(r == 0 ? "(" : ",(");
                for (var i = 0; i < key.Count; i++)
                {
                    text.Append(i == 0 ? "?" : ",?");
                    values.Add(row[key[i].Ordinal]);
                }
                text.Append(')');
            }
            text.Append(')');
        }
        return [new DmlStatement(text.ToString(), values)];
    }

    /// <summary>The columns that identify a row (see the class summary).</summary>
    public static IReadOnlyList<ColumnInfo> KeyColumns(TableInfo table, out bool byAllColumns)
    {
        var handle = table.HandleKey;
        if (handle != null && handle.Columns.All(c => c != null && table.Column(c) != null))
        {
            byAllColumns = false;
            return handle.Columns.Select(c => table.Column(c!)!).ToList();
        }
        byAllColumns = true;
        return table.Columns.Where(c => c.IsWritable).ToList();
    }

    private static List<ColumnInfo> WritableColumns(TableInfo table) => table.Columns.Where(c => c.IsWritable).ToList();

    private static IReadOnlyList<object?> CheckRow(TableInfo table, IReadOnlyList<object?> row)
    {
        if (row.Count != table.Columns.Count)
            throw new ArgumentException($"row has {row.Count} values but {table.Schema}.{table.Name} has {table.Columns.Count} columns");
        return row;
    }

    private static void AppendTable(StringBuilder sb, TableInfo table, TableName? target)
    {
        var schema = target?.Schema ?? (target == null ? table.Schema : null);
        if (schema != null)
        {
            Quoting.AppendIdentifier(sb, schema);
            sb.Append('.');
        }
        Quoting.AppendIdentifier(sb, target?.Name ?? table.Name);
    }

    /// <summary>col1=? AND col2 IS NULL AND ... (NULL never equals, so it is tested with IS NULL).</summary>
    private static void AppendRowCondition(StringBuilder sb, List<object?> parameters, IReadOnlyList<ColumnInfo> key, IReadOnlyList<object?> row)
    {
        for (var i = 0; i < key.Count; i++)
        {
            if (i > 0) sb.Append(" AND ");
            Quoting.AppendIdentifier(sb, key[i].Name);
            var value = row[key[i].Ordinal];
            if (value is null or DBNull) sb.Append(" IS NULL");
            else
            {
                sb.Append("=?");
                parameters.Add(value);
            }
        }
    }
}
