using Dm.Sql.Ast;

namespace Dm.Sql.Classification;

/// <summary>
/// Maps a statement to DM's filter event type. A multi-specification ALTER TABLE is a
/// "multi schema change"; split it first (<see cref="Splitting.StatementSplitter"/>) to classify each piece.
/// </summary>
public static class DdlClassifier
{
    public static string Classify(Statement statement) => statement switch
    {
        CreateDatabaseStatement => DdlEventType.CreateDatabase,
        DropDatabaseStatement => DdlEventType.DropDatabase,
        AlterDatabaseStatement s => s.Options.Any(o => o.Name is "CHARACTER SET" or "COLLATE")
            ? DdlEventType.ModifySchemaCharsetAndCollate
            : DdlEventType.AlterDatabase,
        CreateTableStatement => DdlEventType.CreateTable,
        DropTableStatement => DdlEventType.DropTable,
        TruncateTableStatement => DdlEventType.TruncateTable,
        RenameTableStatement => DdlEventType.RenameTable,
        CreateIndexStatement => DdlEventType.CreateIndex,
        DropIndexStatement => DdlEventType.DropIndex,
        CreateViewStatement => DdlEventType.CreateView,
        DropViewStatement => DdlEventType.DropView,
        SequenceStatement s => s.Action switch
        {
            SequenceAction.Create => DdlEventType.CreateTable,
            SequenceAction.Drop => DdlEventType.DropTable,
            _ => DdlEventType.AlterTable,
        },
        AlterTableStatement s => ClassifyAlter(s),
        _ => DdlEventType.None,
    };

    private static string ClassifyAlter(AlterTableStatement s)
    {
        var specs = s.Specs.Where(x => x is not SimpleSpec { Keyword: "ALGORITHM" or "LOCK" }).ToList();
        var count = specs.Count + (s.Partitioning != null ? 1 : 0);
        if (count > 1) return DdlEventType.MultiSchemaChange;
        if (s.Partitioning != null) return DdlEventType.AlterTablePartitioning;
        if (specs.Count == 0) return DdlEventType.AlterTable;
        return ClassifySpec(specs[0]);
    }

    /// <summary>The event type of one ALTER TABLE specification.</summary>
    public static string ClassifySpec(AlterSpec spec) => spec switch
    {
        AddColumnsSpec => DdlEventType.AddColumn,
        AddConstraintSpec { Element: IndexDefinition { Kind: IndexKind.Primary } } => DdlEventType.AddPrimaryKey,
        AddConstraintSpec { Element: IndexDefinition } => DdlEventType.CreateIndex,
        AddConstraintSpec { Element: ForeignKeyDefinition } => DdlEventType.AddForeignKey,
        AddConstraintSpec => DdlEventType.ModifyConstraint,
        ChangeColumnSpec c when c.OldName != c.Column.Name => DdlEventType.RenameColumn,
        ChangeColumnSpec c when c.Position != null => DdlEventType.ModifyColumnsOrder,
        ChangeColumnSpec => DdlEventType.ModifyColumn,
        ModifyColumnSpec m when m.Position != null => DdlEventType.ModifyColumnsOrder,
        ModifyColumnSpec => DdlEventType.ModifyColumn,
        DropColumnSpec => DdlEventType.DropColumn,
        RenameColumnSpec => DdlEventType.RenameColumn,
        AlterColumnDefaultSpec a => a.Default == null ? DdlEventType.ModifyDefaultValue : DdlEventType.SetDefaultValue,
        AlterColumnVisibilitySpec => DdlEventType.ModifyColumn,
        DropIndexSpec => DdlEventType.DropIndex,
        DropPrimaryKeySpec => DdlEventType.DropPrimaryKey,
        DropForeignKeySpec => DdlEventType.DropForeignKey,
        DropConstraintSpec or AlterCheckSpec => DdlEventType.ModifyConstraint,
        RenameIndexSpec => DdlEventType.RenameIndex,
        RenameTableSpec => DdlEventType.RenameTable,
        AlterIndexVisibilitySpec => DdlEventType.AlterIndexVisibility,
        ConvertCharsetSpec => DdlEventType.ModifyTableCharsetAndCollate,
        TableOptionsSpec t => ClassifyOptions(t.Options),
        AddPartitionSpec => DdlEventType.AddTablePartition,
        DropPartitionSpec => DdlEventType.DropTablePartition,
        PartitionNamesSpec { Operation: "TRUNCATE" } => DdlEventType.TruncateTablePartition,
        PartitionNamesSpec { Operation: "REBUILD" } => DdlEventType.RebuildTablePartition,
        CoalescePartitionSpec => DdlEventType.CoalesceTablePartition,
        ReorganizePartitionSpec => DdlEventType.ReorganizeTablePartition,
        ExchangePartitionSpec or ConvertPartitionToTableSpec or ConvertTableToPartitionSpec => DdlEventType.ExchangeTablePartition,
        RemovePartitioningSpec => DdlEventType.RemoveTablePartitioning,
        _ => DdlEventType.AlterTable,
    };

    private static string ClassifyOptions(SqlList<TableOption> options)
    {
        if (options.Count != 1) return DdlEventType.AlterTable;
        return options[0].Name switch
        {
            "CHARACTER SET" or "COLLATE" => DdlEventType.ModifyTableCharsetAndCollate,
            "COMMENT" => DdlEventType.ModifyTableComment,
            "ENGINE" => DdlEventType.ModifyStorageEngine,
            "AUTO_INCREMENT" => DdlEventType.RebaseAutoId,
            _ => DdlEventType.AlterTable,
        };
    }
}
