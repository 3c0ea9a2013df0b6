namespace Dm.Sql.Ast;

public sealed record AlterTableStatement(
    TableName Table,
    bool Online,
    bool Ignore,
    bool IfExists,
    SqlList<AlterSpec> Specs,
    PartitionOptions? Partitioning) : Statement;

/// <summary>FIRST, or AFTER column.</summary>
public sealed record ColumnPosition(string? After)
{
    public static readonly ColumnPosition First = new((string?)null);
}

/// <summary>One ALTER TABLE specification.</summary>
public abstract record AlterSpec;

public sealed record AddColumnsSpec(SqlList<ColumnDefinition> Columns, bool Parenthesized, bool IfNotExists, ColumnPosition? Position) : AlterSpec;
/// <summary>ADD INDEX/KEY/PRIMARY KEY/UNIQUE/FULLTEXT/SPATIAL/FOREIGN KEY/CHECK/PERIOD.</summary>
public sealed record AddConstraintSpec(TableElement Element) : AlterSpec;
public sealed record ChangeColumnSpec(string OldName, ColumnDefinition Column, bool IfExists, ColumnPosition? Position) : AlterSpec;
public sealed record ModifyColumnSpec(ColumnDefinition Column, bool IfExists, ColumnPosition? Position) : AlterSpec;
public sealed record DropColumnSpec(string Name, bool IfExists, string? Behavior) : AlterSpec;
public sealed record RenameColumnSpec(string OldName, string NewName, bool IfExists) : AlterSpec;
/// <summary>ALTER [COLUMN] c SET DEFAULT expr, or DROP DEFAULT when <see cref="Default"/> is null.</summary>
public sealed record AlterColumnDefaultSpec(string Column, SqlExpression? Default) : AlterSpec;
public sealed record AlterColumnVisibilitySpec(string Column, bool Visible) : AlterSpec;
public sealed record DropIndexSpec(string Name, bool IfExists) : AlterSpec;
public sealed record DropPrimaryKeySpec : AlterSpec;
public sealed record DropForeignKeySpec(string Name, bool IfExists) : AlterSpec;
/// <summary>DROP CHECK name (CheckKeyword) or DROP CONSTRAINT name.</summary>
public sealed record DropConstraintSpec(string Name, bool CheckKeyword, bool IfExists) : AlterSpec;
public sealed record RenameIndexSpec(string OldName, string NewName, bool IfExists) : AlterSpec;
/// <summary>RENAME [TO|AS] new_name.</summary>
public sealed record RenameTableSpec(TableName NewName) : AlterSpec;
/// <summary>ALTER INDEX name VISIBLE|INVISIBLE|IGNORED|NOT IGNORED.</summary>
public sealed record AlterIndexVisibilitySpec(string Name, string Visibility) : AlterSpec;
/// <summary>ALTER CHECK|CONSTRAINT name [NOT] ENFORCED.</summary>
public sealed record AlterCheckSpec(string Name, bool CheckKeyword, bool Enforced) : AlterSpec;
public sealed record TableOptionsSpec(SqlList<TableOption> Options) : AlterSpec;
/// <summary>CONVERT TO CHARACTER SET cs [COLLATE c].</summary>
public sealed record ConvertCharsetSpec(string Charset, string? Collation) : AlterSpec;
/// <summary>Statement-level settings and no-ops for the structure: ALGORITHM=x, LOCK=x, FORCE, ENABLE/DISABLE KEYS,
/// DISCARD/IMPORT TABLESPACE, WITH/WITHOUT VALIDATION, ADD/DROP SYSTEM VERSIONING. Printed as Keyword [= Value].</summary>
public sealed record SimpleSpec(string Keyword, string? Value) : AlterSpec;
public sealed record OrderBySpec(SqlList<KeyPart> Columns) : AlterSpec;

public sealed record AddPartitionSpec(bool IfNotExists, SqlList<PartitionDefinition> Partitions, int? Count) : AlterSpec;
public sealed record DropPartitionSpec(bool IfExists, SqlList<string> Names) : AlterSpec;
/// <summary>TRUNCATE/ANALYZE/CHECK/OPTIMIZE/REBUILD/REPAIR/DISCARD/IMPORT PARTITION names|ALL (DISCARD/IMPORT add TABLESPACE).</summary>
public sealed record PartitionNamesSpec(string Operation, SqlList<string> Names) : AlterSpec
{
    public bool All => Names.Count == 0;
}
public sealed record CoalescePartitionSpec(int Count) : AlterSpec;
public sealed record ReorganizePartitionSpec(SqlList<string> Names, SqlList<PartitionDefinition> Into) : AlterSpec;
public sealed record ExchangePartitionSpec(string Partition, TableName Table, bool? WithValidation) : AlterSpec;
public sealed record RemovePartitioningSpec : AlterSpec;
public sealed record ConvertPartitionToTableSpec(string Partition, TableName Table) : AlterSpec;
public sealed record ConvertTableToPartitionSpec(TableName Table, PartitionDefinition Partition) : AlterSpec;
