namespace Dm.Sql.Ast;

public sealed record CreateTableStatement(
    TableName Table,
    bool OrReplace,
    bool Temporary,
    bool IfNotExists,
    SqlList<TableElement> Elements,
    SqlList<TableOption> Options,
    PartitionOptions? Partitioning,
    TableName? Like,
    string? DuplicateHandling,
    SqlQuery? Select) : Statement;

public sealed record DropTableStatement(bool Temporary, bool IfExists, SqlList<TableName> Tables, string? Behavior) : Statement;

public sealed record RenamePair(TableName From, TableName To);

public sealed record RenameTableStatement(bool IfExists, SqlList<RenamePair> Pairs) : Statement;

public sealed record TruncateTableStatement(TableName Table) : Statement;

/// <summary>CREATE [OR REPLACE] [UNIQUE|FULLTEXT|SPATIAL] INDEX [IF NOT EXISTS] name ON table (...).</summary>
public sealed record CreateIndexStatement(
    TableName Table,
    IndexDefinition Index,
    bool OrReplace,
    bool IfNotExists,
    string? Algorithm,
    string? Lock) : Statement;

public sealed record DropIndexStatement(TableName Table, string Name, bool IfExists, string? Algorithm, string? Lock) : Statement;
