using Dm.Sql.Ast;
using Dm.Sql.Lexing;

namespace Dm.Sql.Parsing;

/// <summary>ALTER TABLE with every specification MySQL 5.7–8.4 and MariaDB 10.x–11.x accept.</summary>
public sealed partial class SqlParser
{
    private Statement ParseAlterTable()
    {
        var online = Accept("ONLINE");
        if (!online) Accept("OFFLINE");
        var ignore = Accept("IGNORE");
        Expect("TABLE");
        var ifExists = AcceptIfExists();
        var table = TableName();
        SkipWaitOption();
        var specs = new List<AlterSpec>();
        PartitionOptions? partitioning = null;
        if (!IsStatementEnd())
        {
            while (true)
            {
                if (Is("PARTITION") && IsAt(1, "BY"))
                {
                    partitioning = PartitionOptions();
                    break;
                }
                specs.Add(AlterSpecClause());
                if (!AcceptSym(","))
                {
                    if (Is("PARTITION") && IsAt(1, "BY")) continue;
                    // table options may follow one another without commas
                    if (IsTableOptionStart(0)) continue;
                    break;
                }
            }
        }
        return new AlterTableStatement(table, online, ignore, ifExists, specs.ToSqlList(), partitioning);
    }

    private bool IsStatementEnd() => Cur.Kind == TokenKind.End || IsSym(";");

    private AlterSpec AlterSpecClause()
    {
        var token = Cur;
        if (token.Kind != TokenKind.Word) throw Unexpected("an ALTER TABLE specification");
        switch (token.Canonical)
        {
            case "ADD": Advance(); return AddSpec();
            case "DROP": Advance(); return DropSpec();
            case "MODIFY":
            {
                Advance();
                Accept("COLUMN");
                var ifExists = AcceptIfExists();
                var column = ColumnDefinitionClause();
                return new ModifyColumnSpec(column, ifExists, Position());
            }
            case "CHANGE":
            {
                Advance();
                Accept("COLUMN");
                var ifExists = AcceptIfExists();
                var old = Identifier();
                var column = ColumnDefinitionClause();
                return new ChangeColumnSpec(old, column, ifExists, Position());
            }
            case "ALTER": Advance(); return AlterSubSpec();
            case "RENAME": Advance(); return RenameSpec();
            case "CONVERT":
                Advance();
                return ConvertSpec();
            case "ALGORITHM" or "LOCK":
            {
                var keyword = Word();
                AcceptEquals();
                return new SimpleSpec(keyword, Word());
            }
            case "FORCE": Advance(); return new SimpleSpec("FORCE", null);
            case "ENABLE" or "DISABLE":
            {
                var keyword = Word();
                Expect("KEYS");
                return new SimpleSpec(keyword + " KEYS", null);
            }
            case "DISCARD" or "IMPORT":
            {
                var keyword = Word();
                if (Accept("TABLESPACE")) return new SimpleSpec(keyword + " TABLESPACE", null);
                Expect("PARTITION");
                var names = PartitionNamesOrAll();
                Expect("TABLESPACE");
                return new PartitionNamesSpec(keyword, names);
            }
            case "WITH" or "WITHOUT":
            {
                if (token.Canonical == "WITH" && IsAt(1, "SYSTEM")) break;
                var keyword = Word();
                Expect("VALIDATION");
                return new SimpleSpec(keyword + " VALIDATION", null);
            }
            case "ORDER":
            {
                Advance();
                Expect("BY");
                var columns = new List<KeyPart>();
                do columns.Add(new KeyPart(Identifier(), null, null, Direction()));
                while (AcceptSym(","));
                return new OrderBySpec(columns.ToSqlList());
            }
            case "TRUNCATE" or "ANALYZE" or "CHECK" or "OPTIMIZE" or "REBUILD" or "REPAIR":
            {
                var keyword = Word();
                Expect("PARTITION");
                return new PartitionNamesSpec(keyword, PartitionNamesOrAll());
            }
            case "COALESCE":
                Advance();
                Expect("PARTITION");
                return new CoalescePartitionSpec(Integer());
            case "REORGANIZE":
            {
                Advance();
                Expect("PARTITION");
                if (IsStatementEnd() || IsSym(",")) return new ReorganizePartitionSpec(SqlList<string>.Empty, SqlList<PartitionDefinition>.Empty);
                var names = IdentifierList();
                Expect("INTO");
                return new ReorganizePartitionSpec(names.ToSqlList(), PartitionDefinitionList());
            }
            case "EXCHANGE":
            {
                Advance();
                Expect("PARTITION");
                var partition = Identifier();
                Expect("WITH");
                Expect("TABLE");
                var table = TableName();
                bool? validation = null;
                if (Accept("WITH", "VALIDATION")) validation = true;
                else if (Accept("WITHOUT", "VALIDATION")) validation = false;
                return new ExchangePartitionSpec(partition, table, validation);
            }
            case "REMOVE":
                Advance();
                Expect("PARTITIONING");
                return new RemovePartitioningSpec();
            case "UPGRADE":
                Advance();
                Expect("PARTITIONING");
                return new SimpleSpec("UPGRADE PARTITIONING", null);
        }
        if (IsTableOptionStart(0)) return new TableOptionsSpec(TableOptions(stopAtComma: true));
        throw Unexpected("an ALTER TABLE specification");
    }

    private SqlList<string> PartitionNamesOrAll() =>
        Accept("ALL") ? SqlList<string>.Empty : IdentifierList().ToSqlList();

    private ColumnPosition? Position()
    {
        if (Accept("FIRST")) return ColumnPosition.First;
        if (Accept("AFTER")) return new ColumnPosition(Identifier());
        return null;
    }

    private AlterSpec AddSpec()
    {
        if (Is("PARTITION"))
        {
            Advance();
            var ifNotExists = AcceptIfNotExists();
            if (Accept("PARTITIONS")) return new AddPartitionSpec(ifNotExists, SqlList<PartitionDefinition>.Empty, Integer());
            return new AddPartitionSpec(ifNotExists, PartitionDefinitionList(), null);
        }
        if (Is("SYSTEM") && IsAt(1, "VERSIONING"))
        {
            _i += 2;
            return new SimpleSpec("ADD SYSTEM VERSIONING", null);
        }
        if (Is("CONSTRAINT") || Is("PRIMARY") || Is("UNIQUE") || Is("FOREIGN") || Is("CHECK") || Is("INDEX") || Is("KEY")
            || Is("FULLTEXT") || Is("SPATIAL") || IsVectorIndexStart() || (Is("PERIOD") && IsAt(1, "FOR")))
            return new AddConstraintSpec(TableElementDefinition(inAlter: true));
        Accept("COLUMN");
        var ifNotExistsColumn = AcceptIfNotExists();
        if (AcceptSym("("))
        {
            var columns = new List<ColumnDefinition>();
            do columns.Add(ColumnDefinitionClause());
            while (AcceptSym(","));
            ExpectSym(")");
            return new AddColumnsSpec(columns.ToSqlList(), true, ifNotExistsColumn, null);
        }
        var column = ColumnDefinitionClause();
        return new AddColumnsSpec(SqlList.Of(column), false, ifNotExistsColumn, Position());
    }

    private AlterSpec DropSpec()
    {
        if (Accept("PRIMARY"))
        {
            Expect("KEY");
            return new DropPrimaryKeySpec();
        }
        if (Accept("INDEX") || Accept("KEY"))
        {
            var ifExists = AcceptIfExists();
            return new DropIndexSpec(AnyIndexName(), ifExists);
        }
        if (Accept("FOREIGN"))
        {
            Expect("KEY");
            var ifExists = AcceptIfExists();
            return new DropForeignKeySpec(Identifier(), ifExists);
        }
        if (Accept("CHECK"))
        {
            var ifExists = AcceptIfExists();
            return new DropConstraintSpec(Identifier(), true, ifExists);
        }
        if (Accept("CONSTRAINT"))
        {
            var ifExists = AcceptIfExists();
            return new DropConstraintSpec(Identifier(), false, ifExists);
        }
        if (Accept("PARTITION"))
        {
            var ifExists = AcceptIfExists();
            return new DropPartitionSpec(ifExists, IdentifierList().ToSqlList());
        }
        if (Is("SYSTEM") && IsAt(1, "VERSIONING"))
        {
            _i += 2;
            return new SimpleSpec("DROP SYSTEM VERSIONING", null);
        }
        Accept("COLUMN");
        var ifExistsColumn = AcceptIfExists();
        var name = Identifier();
        string? behavior = null;
        if (Is("RESTRICT") || Is("CASCADE")) behavior = Word();
        return new DropColumnSpec(name, ifExistsColumn, behavior);
    }

    /// <summary>Index names may be `PRIMARY` when quoted; unquoted reserved words are not names.</summary>
    private string AnyIndexName() => Identifier();

    private AlterSpec AlterSubSpec()
    {
        if (Accept("INDEX") || Accept("KEY"))
        {
            var name = Identifier();
            string visibility;
            if (Accept("VISIBLE")) visibility = "VISIBLE";
            else if (Accept("INVISIBLE")) visibility = "INVISIBLE";
            else if (Accept("IGNORED")) visibility = "IGNORED";
            else if (Accept("NOT", "IGNORED")) visibility = "NOT IGNORED";
            else throw Unexpected("VISIBLE, INVISIBLE, IGNORED or NOT IGNORED");
            return new AlterIndexVisibilitySpec(name, visibility);
        }
        if (Is("CHECK") || Is("CONSTRAINT"))
        {
            var check = Word() == "CHECK";
            var name = Identifier();
            var enforced = Enforcement() ?? throw Unexpected("ENFORCED or NOT ENFORCED");
            return new AlterCheckSpec(name, check, enforced);
        }
        Accept("COLUMN");
        var column = Identifier();
        if (Accept("SET"))
        {
            if (Accept("DEFAULT")) return new AlterColumnDefaultSpec(column, DefaultValue());
            if (Accept("VISIBLE")) return new AlterColumnVisibilitySpec(column, true);
            if (Accept("INVISIBLE")) return new AlterColumnVisibilitySpec(column, false);
            throw Unexpected("DEFAULT, VISIBLE or INVISIBLE");
        }
        if (Accept("DROP"))
        {
            Expect("DEFAULT");
            return new AlterColumnDefaultSpec(column, null);
        }
        throw Unexpected("SET or DROP");
    }

    private AlterSpec RenameSpec()
    {
        if (Accept("COLUMN"))
        {
            var ifExists = AcceptIfExists();
            var old = Identifier();
            Expect("TO");
            return new RenameColumnSpec(old, Identifier(), ifExists);
        }
        if (Accept("INDEX") || Accept("KEY"))
        {
            var ifExists = AcceptIfExists();
            var old = Identifier();
            Expect("TO");
            return new RenameIndexSpec(old, Identifier(), ifExists);
        }
        if (!Accept("TO")) Accept("AS");
        return new RenameTableSpec(TableName());
    }

    private AlterSpec ConvertSpec()
    {
        if (Accept("TO"))
        {
            if (!Accept("CHARACTER", "SET") && !Accept("CHARSET")) throw Unexpected("CHARACTER SET");
            AcceptEquals();
            var charset = CharsetName();
            string? collation = null;
            if (Accept("COLLATE"))
            {
                AcceptEquals();
                collation = CharsetName();
            }
            return new ConvertCharsetSpec(charset, collation);
        }
        if (Accept("PARTITION"))
        {
            var partition = Identifier();
            Expect("TO");
            Expect("TABLE");
            return new ConvertPartitionToTableSpec(partition, TableName());
        }
        if (Accept("TABLE"))
        {
            var table = TableName();
            Expect("TO");
            return new ConvertTableToPartitionSpec(table, PartitionDefinitionClause(sub: false));
        }
        throw Unexpected("TO CHARACTER SET, PARTITION or TABLE");
    }
}
