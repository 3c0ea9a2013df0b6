using Dm.Sql.Ast;

namespace Dm.Sql.Tracking;

/// <summary>One column of a tracked table, resolved: type text as information_schema.COLUMN_TYPE prints it,
/// effective charset/collation, nullability, default, generated-ness.</summary>
public sealed record ColumnInfo(
    string Name,
    int Ordinal,
    DataType Type,
    string ColumnType,
    string? Charset,
    string? Collation,
    bool Nullable,
    string? Default,
    bool IsGenerated,
    bool IsStoredGenerated,
    bool AutoIncrement,
    bool IsSystemTime = false)
{
    /// <summary>Whether DML may write the column: not for generated or system-versioning period columns.</summary>
    public bool IsWritable => !IsGenerated && !IsSystemTime;

    public bool Unsigned => Type.Unsigned || Type.Zerofill || Type.Name == "SERIAL";
}

/// <summary>An index of a tracked table: its name (PRIMARY for the primary key), kind and columns in order.
/// Expression key parts appear as null column names.</summary>
public sealed record IndexInfo(string Name, IndexKind Kind, IReadOnlyList<string?> Columns);

/// <summary>The structure of one table as the tracker knows it.</summary>
public sealed class TableInfo
{
    internal TableInfo(string schema, string name, CreateTableStatement definition, IReadOnlyList<ColumnInfo> columns,
        IReadOnlyList<IndexInfo> indexes, string? charset, string? collation)
    {
        Schema = schema;
        Name = name;
        Definition = definition;
        Columns = columns;
        Indexes = indexes;
        Charset = charset;
        Collation = collation;
        PrimaryKey = indexes.FirstOrDefault(i => i.Kind == IndexKind.Primary);
        UniqueKeys = indexes.Where(i => i.Kind == IndexKind.Unique).ToList();
        HandleKey = PrimaryKey ?? UniqueKeys.FirstOrDefault(IsNotNullKey);
    }

    public string Schema { get; }
    public string Name { get; }
    /// <summary>The tracked definition as a CREATE TABLE statement (name unqualified, keys as table elements).</summary>
    public CreateTableStatement Definition { get; }
    public IReadOnlyList<ColumnInfo> Columns { get; }
    public IReadOnlyList<IndexInfo> Indexes { get; }
    public string? Charset { get; }
    public string? Collation { get; }
    public IndexInfo? PrimaryKey { get; }
    public IReadOnlyList<IndexInfo> UniqueKeys { get; }
    /// <summary>The key that identifies a row: the primary key, else the first unique key whose columns are all NOT NULL; null if none.</summary>
    public IndexInfo? HandleKey { get; }

    public ColumnInfo? Column(string name) =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    private bool IsNotNullKey(IndexInfo index) =>
        index.Columns.All(c => c != null && Column(c) is { Nullable: false });
}
