namespace Dm.Sql.Ast;

/// <summary>CREATE [OR REPLACE] / ALTER VIEW; the query is kept as canonical text.</summary>
public sealed record CreateViewStatement(
    TableName View,
    bool OrReplace,
    bool IsAlter,
    bool IfNotExists,
    string? Algorithm,
    string? Definer,
    string? SqlSecurity,
    SqlList<string> Columns,
    SqlQuery Query,
    string? CheckOption) : Statement;

public sealed record DropViewStatement(bool IfExists, SqlList<TableName> Views, string? Behavior) : Statement;

public enum SequenceAction { Create, Alter, Drop }

/// <summary>MariaDB sequences: recognised with their names; options kept as text.</summary>
public sealed record SequenceStatement(
    SequenceAction Action,
    bool OrReplace,
    bool Temporary,
    bool IfExists,
    bool IfNotExists,
    SqlList<TableName> Names,
    SqlExpression? Options) : Statement;
