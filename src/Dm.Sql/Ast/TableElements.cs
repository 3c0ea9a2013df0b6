namespace Dm.Sql.Ast;

/// <summary>One item inside CREATE TABLE ( ... ): a column, an index/key, a foreign key, a check, a period.</summary>
public abstract record TableElement;

/// <summary>VIRTUAL / STORED (PERSISTENT) expression columns, or MariaDB's system-versioning AS ROW START / ROW END.</summary>
public enum GeneratedStorage { Virtual, Stored, RowStart, RowEnd }

public enum ColumnKey { None, Primary, Unique }

/// <summary>GENERATED ALWAYS AS (expr) VIRTUAL|STORED (PERSISTENT in MariaDB is printed as STORED).</summary>
public sealed record GeneratedColumn(SqlExpression Expression, GeneratedStorage Storage, bool AlwaysKeyword);

/// <summary>REFERENCES tbl (cols) [MATCH ..] [ON DELETE ..] [ON UPDATE ..].</summary>
public sealed record ReferenceDefinition(TableName Table, SqlList<string> Columns, string? Match, string? OnDelete, string? OnUpdate);

public sealed record ColumnDefinition(
    string Name,
    DataType Type,
    bool? Nullable = null,
    SqlExpression? Default = null,
    SqlExpression? OnUpdate = null,
    bool AutoIncrement = false,
    ColumnKey Key = ColumnKey.None,
    string? Comment = null,
    string? Collation = null,
    GeneratedColumn? Generated = null,
    bool? Visible = null,
    string? ColumnFormat = null,
    string? Storage = null,
    int? Srid = null,
    bool Compressed = false,
    bool SerialDefaultValue = false,
    CheckConstraint? Check = null,
    ReferenceDefinition? References = null,
    bool WithoutSystemVersioning = false,
    string? EngineAttribute = null) : TableElement;

public enum IndexKind { Index, Unique, Primary, Fulltext, Spatial, Vector }

/// <summary>One key part: a column with optional prefix length, or (expr); ASC/DESC when given.</summary>
public sealed record KeyPart(string? Column, int? Length, SqlExpression? Expression, bool? Descending);

/// <summary>Index options after the key parts.</summary>
public sealed record IndexOptions(
    string? Using = null,
    int? KeyBlockSize = null,
    string? Comment = null,
    string? Visibility = null,
    string? Parser = null,
    string? EngineAttribute = null,
    bool Clustering = false,
    SqlList<TableOption>? Extra = null)
{
    public static readonly IndexOptions None = new();
}

/// <summary>PRIMARY KEY / UNIQUE / INDEX / FULLTEXT / SPATIAL, with an optional CONSTRAINT symbol.</summary>
public sealed record IndexDefinition(
    IndexKind Kind,
    string? Name,
    SqlList<KeyPart> Parts,
    IndexOptions Options,
    string? ConstraintName = null,
    bool HasConstraintKeyword = false,
    bool IfNotExists = false) : TableElement;

public sealed record ForeignKeyDefinition(
    string? ConstraintName,
    string? IndexName,
    SqlList<string> Columns,
    ReferenceDefinition Reference,
    bool IfNotExists = false) : TableElement;

/// <summary>[CONSTRAINT name] CHECK (expr) [[NOT] ENFORCED].</summary>
public sealed record CheckConstraint(string? Name, SqlExpression Expression, bool? Enforced = null) : TableElement;

/// <summary>MariaDB PERIOD FOR name (start, end).</summary>
public sealed record PeriodDefinition(string Name, string StartColumn, string EndColumn) : TableElement;
