namespace Dm.Sql.Classification;

/// <summary>DM's binlog event filter type names (task config <c>filters.*.events</c>), exactly as DM spells them.</summary>
public static class DdlEventType
{
    public const string CreateDatabase = "create database";
    public const string DropDatabase = "drop database";
    public const string AlterDatabase = "alter database";
    public const string CreateTable = "create table";
    public const string DropTable = "drop table";
    public const string TruncateTable = "truncate table";
    public const string RenameTable = "rename table";
    public const string CreateIndex = "create index";
    public const string DropIndex = "drop index";
    public const string CreateView = "create view";
    public const string DropView = "drop view";
    public const string AlterTable = "alter table";
    public const string AddTablePartition = "add table partition";
    public const string DropTablePartition = "drop table partition";
    public const string TruncateTablePartition = "truncate table partition";
    public const string AddForeignKey = "add foreign key";
    public const string DropForeignKey = "drop foreign key";
    public const string ModifyColumn = "modify column";
    public const string RenameColumn = "rename column";
    public const string RenameIndex = "rename index";
    public const string DropColumn = "drop column";
    public const string DropPrimaryKey = "drop primary key";
    public const string DropUniqueKey = "drop unique key";
    public const string ModifyDefaultValue = "modify default value";
    public const string ModifyConstraint = "modify constraint";
    public const string ModifyColumnsOrder = "modify columns order";
    public const string ModifyCharset = "modify charset";
    public const string ModifyCollation = "modify collation";
    public const string RemoveAutoIncrement = "remove auto increment";
    public const string ModifyStorageEngine = "modify storage engine";
    public const string ReorganizeTablePartition = "reorganize table partition";
    public const string RebuildTablePartition = "rebuild table partition";
    public const string CoalesceTablePartition = "coalesce table partition";
    public const string SplitTablePartition = "split table partition";
    public const string ExchangeTablePartition = "exchange table partition";
    public const string ModifySchemaCharsetAndCollate = "modify schema charset and collate";
    public const string ModifyTableCharsetAndCollate = "modify table charset and collate";
    public const string ModifyTableComment = "modify table comment";
    public const string RecoverTable = "recover table";
    public const string AlterTablePartitioning = "alter table partitioning";
    public const string RemoveTablePartitioning = "remove table partitioning";
    public const string AddColumn = "add column";
    public const string SetDefaultValue = "set default value";
    public const string RebaseAutoId = "rebase auto id";
    public const string AddPrimaryKey = "add primary key";
    public const string AlterIndexVisibility = "alter index visibility";
    public const string MultiSchemaChange = "multi schema change";
    /// <summary>A statement that is not a DDL event for the filter (transaction, DML text, SET...).</summary>
    public const string None = "";
}
