namespace Dm.TestKit.Workloads;

/// <summary>
/// Random DML for one connection: inserts (single and multi-row), updates of values and of keys (primary, unique,
/// composite), deletes by key and by range, and duplicate rows in the keyless table, over the fixed tables and the
/// tables DDL has created; and the statements of a large transaction.
/// </summary>
public sealed class WorkloadDml(Random random, WorkloadCatalog catalog)
{
    private readonly KeyPool _orders = new();
    private readonly KeyPool _allTypes = new();
    private readonly KeyPool _mariaDbTypes = new();
    private readonly KeyPool _unique = new();
    private readonly KeyPool _composite = new();
    private WorkloadTables T => catalog.Tables;

    /// <summary>One statement: its kind (for the run's statistics) and its SQL.</summary>
    public (string Kind, string Sql) Next()
    {
        var dynamic = catalog.DynamicTables();
        return random.Next(100) switch
        {
            < 30 => Orders(),
            < 42 => AllTypes(T.AllTypes, AllTypesColumns.Columns, _allTypes),
            < 48 when T.WithMariaDbTypes => AllTypes(T.MariaDbTypes, AllTypesColumns.MariaDbColumns, _mariaDbTypes),
            < 48 => AllTypes(T.AllTypes, AllTypesColumns.Columns, _allTypes),
            < 63 => UniqueOnly(),
            < 73 => Composite(),
            < 88 => NoKey(),
            _ when dynamic.Count > 0 => Dynamic(random.Pick(dynamic)),
            _ => Orders(),
        };
    }

    private int Verb() => random.Next(100) switch { < 40 => 0, < 70 => 1, < 80 => 2, _ => 3 };

    private (string, string) Orders()
    {
        var table = Q(T.Orders);
        var key = _orders.Pick(random, catalog.KeysAllocatedSoFar);
        var extra = Extra(T.Orders);
        switch (Verb())
        {
            case 0:
                var rows = Enumerable.Range(0, random.Next(1, 6)).Select(_ =>
                {
                    var id = catalog.AllocateKeys();
                    _orders.Add(id);
                    return $"({id}, {random.Next(1000)}, {RandomValues.Text(random, "utf8mb4", 64)}, {RandomValues.Decimal(random, 12, 2)}, " +
                        $"{RandomValues.DateTime(random, 6)}, {(random.Chance(0.3) ? RandomValues.Bytes(random, 2000) : "NULL")}{extra.Value})";
                });
                return ("insert", $"INSERT INTO {table} (id, k, `note text`, amount, created, payload{extra.Column}) VALUES {string.Join(", ", rows)}");
            case 1:
                var where = random.Chance(0.7) ? $"id = {key}" : $"id BETWEEN {key} AND {key + random.Next(1, 20)}";
                return ("update", $"UPDATE {table} SET k = {random.Next(1000)}, amount = {RandomValues.Decimal(random, 12, 2)}, " +
                    $"`note text` = {RandomValues.Text(random, "utf8mb4", 64)}{extra.Assignment} WHERE {where}");
            case 2:
                var moved = catalog.AllocateKeys();
                _orders.Replace(key, moved);
                return ("update-key", $"UPDATE {table} SET id = {moved}, k = k + 1 WHERE id = {key}");
            default:
                return ("delete", random.Chance(0.8) ? $"DELETE FROM {table} WHERE id = {key}"
                    : $"DELETE FROM {table} WHERE id BETWEEN {key} AND {key + random.Next(1, 10)}");
        }
    }

    private (string, string) AllTypes((string Schema, string Table) name, IReadOnlyList<AllTypesColumns.Column> columns, KeyPool keys)
    {
        var table = Q(name);
        var key = keys.Pick(random, catalog.KeysAllocatedSoFar);
        switch (Verb())
        {
            case 0:
                var rows = Enumerable.Range(0, random.Next(1, 3)).Select(_ =>
                {
                    var id = catalog.AllocateKeys();
                    keys.Add(id);
                    return $"({id}, {string.Join(", ", columns.Select(c => AllTypesColumns.ValueOrNull(c, random)))})";
                });
                return ("insert", $"INSERT INTO {table} (id, {string.Join(", ", columns.Select(c => SqlText.Name(c.Name)))}) VALUES {string.Join(", ", rows)}");
            case 1:
                var changed = Enumerable.Range(0, random.Next(1, 7)).Select(_ => random.Pick(columns)).DistinctBy(c => c.Name);
                return ("update", $"UPDATE {table} SET {string.Join(", ", changed.Select(c => $"{SqlText.Name(c.Name)} = {AllTypesColumns.ValueOrNull(c, random)}"))}" +
                    $"{Extra(name).Assignment} WHERE id = {key}");
            case 2:
                var moved = catalog.AllocateKeys();
                keys.Replace(key, moved);
                var column = random.Pick(columns);
                return ("update-key", $"UPDATE {table} SET id = {moved}, {SqlText.Name(column.Name)} = {AllTypesColumns.ValueOrNull(column, random)} WHERE id = {key}");
            default:
                return ("delete", $"DELETE FROM {table} WHERE id = {key}");
        }
    }

    private (string, string) UniqueOnly()
    {
        var table = Q(T.UniqueOnly);
        var key = _unique.Pick(random, catalog.KeysAllocatedSoFar);
        var extra = Extra(T.UniqueOnly);
        switch (Verb())
        {
            case 0:
                var u = catalog.AllocateKeys();
                _unique.Add(u);
                return ("insert", $"INSERT INTO {table} (u, w, n{extra.Column}) VALUES ({u}, {RandomValues.Text(random, "utf8mb4", 32)}, " +
                    $"{(random.Chance(0.2) ? "NULL" : random.Next(-100, 100))}{extra.Value})");
            case 1:
                return ("update", $"UPDATE {table} SET w = {RandomValues.Text(random, "utf8mb4", 32)}, n = n + 1{extra.Assignment} WHERE u = {key}");
            case 2:
                var moved = catalog.AllocateKeys();
                _unique.Replace(key, moved);
                return ("update-key", $"UPDATE {table} SET u = {moved} WHERE u = {key}");
            default:
                return ("delete", $"DELETE FROM {table} WHERE u = {key}");
        }
    }

    private (string, string) Composite()
    {
        var table = Q(T.Composite);
        var key = _composite.Pick(random, catalog.KeysAllocatedSoFar);
        var where = $"g = {key % 50} AND h = 'h{key}'";
        switch (Verb())
        {
            case 0:
                var k = catalog.AllocateKeys();
                _composite.Add(k);
                var extra = Extra(T.Composite);
                return ("insert", $"INSERT INTO {table} (g, h, val, `select`{extra.Column}) VALUES ({k % 50}, 'h{k}', {RandomValues.SignedInteger(random, 64)}, " +
                    $"{RandomValues.Text(random, "utf8mb4", 10)}{extra.Value})");
            case 1:
                return random.Chance(0.8)
                    ? ("update", $"UPDATE {table} SET val = {RandomValues.SignedInteger(random, 32)}, `select` = {RandomValues.Text(random, "utf8mb4", 10)} WHERE {where}")
                    : ("update-range", $"UPDATE {table} SET val = IFNULL(val, 0) DIV 2 WHERE g = {random.Next(50)}");
            case 2:
                var moved = catalog.AllocateKeys();
                _composite.Replace(key, moved);
                return ("update-key", $"UPDATE {table} SET g = {moved % 50}, h = 'h{moved}' WHERE {where}");
            default:
                return ("delete", $"DELETE FROM {table} WHERE {where}");
        }
    }

    private (string, string) NoKey()
    {
        var table = Q(T.NoKey);
        var a = random.Next(100);
        switch (Verb())
        {
            case 0:
                var row = $"({a}, {random.Pick(["'dup'", "'b1'", "'b2'", "NULL"])}, {(random.Chance(0.5) ? "NULL" : RandomValues.DateTime(random, 0))}, " +
                          $"{random.Pick(["NULL", "0.1", "-2.5", "3.3"])})";
                // Exact duplicates on purpose: a table without a key may hold them, and replication must keep their count.
                return ("insert", $"INSERT INTO {table} (a, b, c, f) VALUES {string.Join(", ", Enumerable.Repeat(row, random.Next(1, 4)))}");
            case 1 or 2:
                return ("update", $"UPDATE {table} SET b = {random.Pick(["'dup'", "'upd'", "NULL"])}, c = {RandomValues.DateTime(random, 0)} " +
                    $"WHERE a = {a} LIMIT {random.Next(1, 4)}");
            default:
                return ("delete", $"DELETE FROM {table} WHERE a = {a} LIMIT {random.Next(1, 3)}");
        }
    }

    private (string, string) Dynamic((string Schema, string Table) dynamic)
    {
        var table = Q(dynamic);
        var from = random.NextInt64(1, Math.Max(2, catalog.KeysAllocatedSoFar));
        var extra = Extra(dynamic);
        return Verb() switch
        {
            0 => ("insert", $"INSERT INTO {table} (id, v, n{extra.Column}) VALUES ({catalog.AllocateKeys()}, {RandomValues.Text(random, "utf8mb4", 20)}, {random.Next()}{extra.Value})"),
            1 or 2 => ("update", $"UPDATE {table} SET v = {RandomValues.Text(random, "utf8mb4", 20)}, n = n - 1{extra.Assignment} WHERE id >= {from} ORDER BY id LIMIT 2"),
            _ => ("delete", $"DELETE FROM {table} WHERE id >= {from} ORDER BY id LIMIT 1"),
        };
    }

    /// <summary>The statements of one large transaction of about <paramref name="rows"/> rows, with a few small ones around it.</summary>
    public IEnumerable<string> Large(int rows)
    {
        yield return Next().Sql;
        switch (random.Next(4))
        {
            case 0:
                var first = catalog.AllocateKeys(rows);
                for (var i = 0; i < 10; i++) _orders.Add(first + random.Next(rows));
                yield return $"INSERT INTO {Q(T.Orders)} (id, k, `note text`, amount, created, payload) SELECT {first - 1} + seq, seq % 1000, " +
                    $"CONCAT('bulk ', seq), seq / 3, TIMESTAMP('2025-01-01') + INTERVAL seq SECOND, NULL FROM {T.Seq}{rows}";
                break;
            case 1:
                yield return $"UPDATE {Q(T.Orders)} SET amount = amount + 1, `note text` = CONCAT('big ', id) " +
                    $"WHERE id >= {_orders.Pick(random, catalog.KeysAllocatedSoFar) / 2} ORDER BY id LIMIT {rows}";
                break;
            case 2:
                // Fewer rows here: every change to a keyless table is a table scan for whoever applies it.
                yield return $"INSERT INTO {Q(T.NoKey)} (a, b, c) SELECT seq % 100, 'bulk', NULL FROM {T.Seq}{rows / 5}";
                yield return $"DELETE FROM {Q(T.NoKey)} WHERE b = 'bulk' LIMIT {rows / 10}";
                break;
            default:
                yield return $"DELETE FROM {Q(T.Orders)} WHERE id >= {_orders.Pick(random, catalog.KeysAllocatedSoFar)} ORDER BY id LIMIT {rows / 2}";
                break;
        }
        yield return Next().Sql;
    }

    /// <summary>One column DDL has added to the table, if any, as the insert column list suffix, value suffix and SET suffix.</summary>
    private (string Column, string Value, string Assignment) Extra((string Schema, string Table) table)
    {
        var added = catalog.AddedColumns(table);
        if (added.Count == 0 || random.Chance(0.5)) return ("", "", "");
        var column = random.Pick(added);
        var value = AddedColumnValue(column.Type);
        return ($", {SqlText.Name(column.Name)}", $", {value}", $", {SqlText.Name(column.Name)} = {value}");
    }

    private string AddedColumnValue(string type) => type switch
    {
        "INT" => RandomValues.SignedInteger(random, 32),
        "BIGINT" => RandomValues.SignedInteger(random, 64),
        "DATETIME(3)" => RandomValues.DateTime(random, 3),
        "DECIMAL(10,2)" => RandomValues.Decimal(random, 10, 2),
        "DECIMAL(14,4)" => RandomValues.Decimal(random, 14, 4),
        "VARCHAR(20)" => RandomValues.Text(random, "utf8mb4", 20),
        _ => RandomValues.Text(random, "utf8mb4", 40),
    };

    private static string Q((string Schema, string Table) table) => SqlText.Name(table.Schema, table.Table);
}
