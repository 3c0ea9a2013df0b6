using Dm.Sql.Ast;
using Dm.Sql.Parsing;

namespace Dm.Sql.Tracking;

/// <summary>Two shard tables whose structures cannot be joined: a column or an index with the same name but incompatible definitions,
/// or a column that one table lacks and the other cannot do without (NOT NULL without a default).</summary>
public sealed class SchemaJoinConflictException(string message) : Exception(message);

/// <summary>
/// DM's joined schema of the shard tables merged into one target table (DM's schemacmp, as optimistic shard DDL uses it): the
/// smallest structure that can hold the rows of every shard. Columns and indexes are united by name; a column present in both
/// takes the wider type (integers by size, strings by length, TEXT/BLOB by size, DECIMAL by integer digits and scale, FLOAT to
/// DOUBLE) and is nullable when either is; every other difference is a conflict. Compared by <see cref="Fingerprint"/>.
/// </summary>
public sealed class JoinedSchema
{
    private readonly SortedDictionary<string, ColumnInfo> _columns;
    private readonly SortedDictionary<string, IndexInfo> _indexes;

    private JoinedSchema(SortedDictionary<string, ColumnInfo> columns, SortedDictionary<string, IndexInfo> indexes)
    {
        _columns = columns;
        _indexes = indexes;
    }

    /// <summary>The structure of one shard table, from its CREATE TABLE text.</summary>
    public static JoinedSchema FromCreateTable(string createSql)
    {
        if (SqlParser.Parse(createSql) is not CreateTableStatement create)
            throw new SchemaJoinConflictException($"not a CREATE TABLE statement: {createSql}");
        // Normalised as the tracker keeps tables (column-level keys become table elements).
        var tracker = new SchemaTracker();
        try { tracker.SetTable("joined", createSql); }
        catch (SchemaTrackerException e) { throw new SchemaJoinConflictException($"cannot read the structure {createSql}: {e.Message}"); }
        var info = tracker.GetTable("joined", create.Table.Name)!;
        // A primary key's columns are NOT NULL whether or not the statement says so.
        var key = info.PrimaryKey?.Columns.OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        return new JoinedSchema(
            new SortedDictionary<string, ColumnInfo>(
                info.Columns.ToDictionary(c => c.Name.ToLowerInvariant(), c => key.Contains(c.Name) ? c with { Nullable = false } : c), StringComparer.Ordinal),
            new SortedDictionary<string, IndexInfo>(info.Indexes.ToDictionary(i => i.Name.ToLowerInvariant()), StringComparer.Ordinal));
    }

    /// <summary>The join of <paramref name="tables"/> (at least one).</summary>
    public static JoinedSchema JoinAll(IEnumerable<JoinedSchema> tables) => tables.Aggregate((a, b) => a.Join(b));

    /// <summary>The join of this structure and <paramref name="other"/>; <see cref="SchemaJoinConflictException"/> when they conflict.</summary>
    public JoinedSchema Join(JoinedSchema other)
    {
        var columns = new SortedDictionary<string, ColumnInfo>(StringComparer.Ordinal);
        foreach (var name in _columns.Keys.Union(other._columns.Keys))
        {
            var (a, b) = (_columns.GetValueOrDefault(name), other._columns.GetValueOrDefault(name));
            columns[name] = a is null ? Optional(b!) : b is null ? Optional(a) : Wider(a, b);
        }
        var indexes = new SortedDictionary<string, IndexInfo>(StringComparer.Ordinal);
        foreach (var name in _indexes.Keys.Union(other._indexes.Keys))
        {
            var (a, b) = (_indexes.GetValueOrDefault(name), other._indexes.GetValueOrDefault(name));
            if (a is not null && b is not null && !SameIndex(a, b))
                throw new SchemaJoinConflictException($"index `{a.Name}` differs: {IndexText(a)} vs {IndexText(b)}");
            indexes[name] = a ?? b!;
        }
        return new JoinedSchema(columns, indexes);
    }

    /// <summary>A text equal for equal joined structures.</summary>
    public string Fingerprint => string.Join(", ", _columns.Values.Select(ColumnText).Concat(_indexes.Values.Select(IndexText)));

    public override string ToString() => Fingerprint;

    /// <summary>
    /// Whether this structure is <paramref name="other"/>'s, a collation left out (as a structure written by hand leaves it)
    /// matching any: a shard whose structure is the joined one in this sense has nothing left to bring.
    /// </summary>
    public bool Matches(JoinedSchema other) => Loose(this) == Loose(other);

    private static string Loose(JoinedSchema s) =>
        string.Join(", ", s._columns.Values.Select(c => ColumnText(c with { Collation = null, Charset = null })).Concat(s._indexes.Values.Select(IndexText)));

    /// <summary>DEFAULT NULL and no default are the same for a nullable column.</summary>
    private static string? DefaultOf(ColumnInfo column) =>
        string.Equals(column.Default, "NULL", StringComparison.OrdinalIgnoreCase) ? null : column.Default;

    private static ColumnInfo Optional(ColumnInfo column) =>
        column.Nullable || DefaultOf(column) is not null || column.AutoIncrement || column.IsGenerated || column.IsSystemTime
            ? column
            : throw new SchemaJoinConflictException(
                $"column `{column.Name}` {column.ColumnType} NOT NULL has no default: the shards that lack it cannot write their rows");

    private static ColumnInfo Wider(ColumnInfo a, ColumnInfo b)
    {
        var nullable = a.Nullable || b.Nullable;
        if (DefaultOf(a) != DefaultOf(b) || !SameWhenBothGiven(a.Collation, b.Collation) || !SameWhenBothGiven(a.Charset, b.Charset) || a.IsGenerated != b.IsGenerated)
            throw Conflict(a, b);
        ColumnInfo wider;
        if (string.Equals(a.ColumnType, b.ColumnType, StringComparison.OrdinalIgnoreCase)) wider = a;
        else
        {
            var order = CompareTypes(a.Type, b.Type) ?? throw Conflict(a, b);
            wider = order >= 0 ? a : b;
        }
        return wider with { Nullable = nullable, Charset = a.Charset ?? b.Charset, Collation = a.Collation ?? b.Collation };
    }

    /// <summary>A structure written by hand often leaves out what SHOW CREATE TABLE spells out (the table's charset and collation).</summary>
    private static bool SameWhenBothGiven(string? a, string? b) => a is null || b is null || string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static SchemaJoinConflictException Conflict(ColumnInfo a, ColumnInfo b) =>
        new($"column `{a.Name}` differs: {ColumnText(a)} vs {ColumnText(b)}");

    private static readonly string[][] Families =
    [
        ["TINYINT", "SMALLINT", "MEDIUMINT", "INT", "BIGINT"],
        ["TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT"],
        ["TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB"],
        ["FLOAT", "DOUBLE"],
    ];

    /// <summary>&gt; 0 when <paramref name="a"/> holds every value of <paramref name="b"/>, &lt; 0 the other way round, 0 equal; null when neither.</summary>
    private static int? CompareTypes(DataType a, DataType b)
    {
        var (na, nb) = (Canonical(a.Name), Canonical(b.Name));
        if (a.Unsigned != b.Unsigned || a.Zerofill != b.Zerofill) return null;
        foreach (var family in Families)
        {
            var (ia, ib) = (Array.IndexOf(family, na), Array.IndexOf(family, nb));
            if (ia >= 0 && ib >= 0) return ia.CompareTo(ib);
        }
        if (na != nb) return null;
        switch (na)
        {
            case "VARCHAR" or "CHAR" or "VARBINARY" or "BINARY" or "BIT":
                return (a.Length ?? 1).CompareTo(b.Length ?? 1);
            case "DECIMAL":
            {
                var (sa, sb) = (a.Scale ?? 0, b.Scale ?? 0);
                var (ia, ib) = ((a.Length ?? 10) - sa, (b.Length ?? 10) - sb);
                if (ia >= ib && sa >= sb) return ia == ib && sa == sb ? 0 : 1;
                if (ia <= ib && sa <= sb) return -1;
                return null;
            }
            default:
                return null;
        }
    }

    private static string Canonical(string name) => name switch
    {
        "INTEGER" => "INT",
        "NUMERIC" or "DEC" or "FIXED" => "DECIMAL",
        "REAL" or "DOUBLE PRECISION" => "DOUBLE",
        "CHARACTER" => "CHAR",
        "CHARACTER VARYING" or "CHAR VARYING" => "VARCHAR",
        _ => name,
    };

    private static bool SameIndex(IndexInfo a, IndexInfo b) =>
        a.Kind == b.Kind && a.Columns.Select(c => c?.ToLowerInvariant()).SequenceEqual(b.Columns.Select(c => c?.ToLowerInvariant()));

    private static string ColumnText(ColumnInfo c) =>
        $"`{c.Name}` {c.ColumnType}{(c.Nullable ? "" : " NOT NULL")}{(DefaultOf(c) is { } d ? " DEFAULT " + d : "")}{(c.Collation is null ? "" : " COLLATE " + c.Collation)}";

    private static string IndexText(IndexInfo i) => $"{i.Kind.ToString().ToUpperInvariant()} `{i.Name}` ({string.Join(",", i.Columns.Select(c => c ?? "(expr)"))})";
}
