using Dm.Sql.Ast;

namespace Dm.Sql.Printing;

/// <summary>ALTER TABLE and its specifications.</summary>
public sealed partial class SqlPrinter
{
    private void AlterTable(AlterTableStatement s)
    {
        W("ALTER ");
        if (s.Online) W("ONLINE ");
        if (s.Ignore) W("IGNORE ");
        W("TABLE ");
        if (s.IfExists) W("IF EXISTS ");
        Table(s.Table);
        for (var i = 0; i < s.Specs.Count; i++)
        {
            W(i == 0 ? " " : ", ");
            Spec(s.Specs[i]);
        }
        if (s.Partitioning != null) Partitioning(s.Partitioning);
    }

    private void Position(ColumnPosition? position)
    {
        if (position == null) return;
        if (position.After == null) W(" FIRST");
        else { W(" AFTER "); Id(position.After); }
    }

    private void Spec(AlterSpec spec)
    {
        switch (spec)
        {
            case AddColumnsSpec s:
                W("ADD COLUMN ");
                if (s.IfNotExists) W("IF NOT EXISTS ");
                if (s.Parenthesized)
                {
                    W("(");
                    for (var i = 0; i < s.Columns.Count; i++)
                    {
                        if (i > 0) W(", ");
                        Column(s.Columns[i]);
                    }
                    W(")");
                }
                else Column(s.Columns[0]);
                Position(s.Position);
                break;
            case AddConstraintSpec s:
                W("ADD ");
                Element(s.Element);
                break;
            case ChangeColumnSpec s:
                W("CHANGE COLUMN ");
                if (s.IfExists) W("IF EXISTS ");
                Id(s.OldName);
                W(" ");
                Column(s.Column);
                Position(s.Position);
                break;
            case ModifyColumnSpec s:
                W("MODIFY COLUMN ");
                if (s.IfExists) W("IF EXISTS ");
                Column(s.Column);
                Position(s.Position);
                break;
            case DropColumnSpec s:
                W("DROP COLUMN ");
                if (s.IfExists) W("IF EXISTS ");
                Id(s.Name);
                if (s.Behavior != null) { W(" "); W(s.Behavior); }
                break;
            case RenameColumnSpec s:
                W("RENAME COLUMN ");
                if (s.IfExists) W("IF EXISTS ");
                Id(s.OldName);
                W(" TO ");
                Id(s.NewName);
                break;
            case AlterColumnDefaultSpec s:
                W("ALTER COLUMN ");
                Id(s.Column);
                if (s.Default == null) W(" DROP DEFAULT");
                else { W(" SET DEFAULT "); W(s.Default.Text); }
                break;
            case AlterColumnVisibilitySpec s:
                W("ALTER COLUMN ");
                Id(s.Column);
                W(s.Visible ? " SET VISIBLE" : " SET INVISIBLE");
                break;
            case DropIndexSpec s:
                W("DROP INDEX ");
                if (s.IfExists) W("IF EXISTS ");
                Id(s.Name);
                break;
            case DropPrimaryKeySpec:
                W("DROP PRIMARY KEY");
                break;
            case DropForeignKeySpec s:
                W("DROP FOREIGN KEY ");
                if (s.IfExists) W("IF EXISTS ");
                Id(s.Name);
                break;
            case DropConstraintSpec s:
                W(s.CheckKeyword ? "DROP CHECK " : "DROP CONSTRAINT ");
                if (s.IfExists) W("IF EXISTS ");
                Id(s.Name);
                break;
            case RenameIndexSpec s:
                W("RENAME INDEX ");
                if (s.IfExists) W("IF EXISTS ");
                Id(s.OldName);
                W(" TO ");
                Id(s.NewName);
                break;
            case RenameTableSpec s:
                W("RENAME TO ");
                Table(s.NewName);
                break;
            case AlterIndexVisibilitySpec s:
                W("ALTER INDEX ");
                Id(s.Name);
                W(" ");
                W(s.Visibility);
                break;
            case AlterCheckSpec s:
                W(s.CheckKeyword ? "ALTER CHECK " : "ALTER CONSTRAINT ");
                Id(s.Name);
                W(s.Enforced ? " ENFORCED" : " NOT ENFORCED");
                break;
            case TableOptionsSpec s:
                Options(s.Options);
                break;
            case ConvertCharsetSpec s:
                W("CONVERT TO CHARACTER SET ");
                CharsetName(s.Charset);
                if (s.Collation != null) { W(" COLLATE "); CharsetName(s.Collation); }
                break;
            case SimpleSpec s:
                W(s.Keyword);
                if (s.Value != null) { W(" = "); W(s.Value); }
                break;
            case OrderBySpec s:
                W("ORDER BY ");
                for (var i = 0; i < s.Columns.Count; i++)
                {
                    if (i > 0) W(", ");
                    Id(s.Columns[i].Column!);
                    if (s.Columns[i].Descending == true) W(" DESC");
                    else if (s.Columns[i].Descending == false) W(" ASC");
                }
                break;
            case AddPartitionSpec s:
                W("ADD PARTITION ");
                if (s.IfNotExists) W("IF NOT EXISTS ");
                if (s.Count != null) { W("PARTITIONS "); Int(s.Count.Value); }
                else PartitionList(s.Partitions);
                break;
            case DropPartitionSpec s:
                W("DROP PARTITION ");
                if (s.IfExists) W("IF EXISTS ");
                IdList(s.Names);
                break;
            case PartitionNamesSpec s:
                W(s.Operation);
                W(" PARTITION ");
                if (s.All) W("ALL"); else IdList(s.Names);
                if (s.Operation is "DISCARD" or "IMPORT") W(" TABLESPACE");
                break;
            case CoalescePartitionSpec s:
                W("COALESCE PARTITION ");
                Int(s.Count);
                break;
            case ReorganizePartitionSpec s:
                W("REORGANIZE PARTITION");
                if (s.Names.Count > 0)
                {
                    W(" ");
                    IdList(s.Names);
                    W(" INTO ");
                    PartitionList(s.Into);
                }
                break;
            case ExchangePartitionSpec s:
                W("EXCHANGE PARTITION ");
                Id(s.Partition);
                W(" WITH TABLE ");
                Table(s.Table);
                if (s.WithValidation == true) W(" WITH VALIDATION");
                else if (s.WithValidation == false) W(" WITHOUT VALIDATION");
                break;
            case RemovePartitioningSpec:
                W("REMOVE PARTITIONING");
                break;
            case ConvertPartitionToTableSpec s:
                W("CONVERT PARTITION ");
                Id(s.Partition);
                W(" TO TABLE ");
                Table(s.Table);
                break;
            case ConvertTableToPartitionSpec s:
                W("CONVERT TABLE ");
                Table(s.Table);
                W(" TO ");
                Partition(s.Partition, "PARTITION ");
                break;
            default:
                throw new ArgumentException($"cannot print {spec.GetType().Name}", nameof(spec));
        }
    }
}
