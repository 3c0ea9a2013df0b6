using Dm.Sql.Ast;

namespace Dm.Sql.Parsing;

/// <summary>DROP TABLE, CREATE INDEX, DROP INDEX.</summary>
public sealed partial class SqlParser
{
    private Statement ParseDropTable(bool temporary)
    {
        Advance(); // TABLE | TABLES
        var ifExists = AcceptIfExists();
        var tables = TableNameList();
        SkipWaitOption();
        string? behavior = null;
        if (Is("RESTRICT") || Is("CASCADE")) behavior = Word();
        return new DropTableStatement(temporary, ifExists, tables.ToSqlList(), behavior);
    }

    private Statement ParseCreateIndex(bool orReplace)
    {
        var kind = IndexKind.Index;
        if (Accept("UNIQUE")) kind = IndexKind.Unique;
        else if (Accept("FULLTEXT")) kind = IndexKind.Fulltext;
        else if (Accept("SPATIAL")) kind = IndexKind.Spatial;
        Expect("INDEX");
        var ifNotExists = AcceptIfNotExists();
        var name = Identifier();
        string? usingBefore = null;
        if (Accept("USING")) usingBefore = Word();
        Expect("ON");
        var table = TableName();
        SkipWaitOption();
        var parts = KeyParts();
        var options = IndexOptionList();
        if (usingBefore != null && options.Using == null) options = options with { Using = usingBefore };
        var (algorithm, lockOption) = AlgorithmAndLock();
        var index = new IndexDefinition(kind, name, parts, options);
        return new CreateIndexStatement(table, index, orReplace, ifNotExists, algorithm, lockOption);
    }

    private Statement ParseDropIndex()
    {
        Expect("INDEX");
        var ifExists = AcceptIfExists();
        var name = Identifier();
        Expect("ON");
        var table = TableName();
        SkipWaitOption();
        var (algorithm, lockOption) = AlgorithmAndLock();
        return new DropIndexStatement(table, name, ifExists, algorithm, lockOption);
    }

    private (string? Algorithm, string? Lock) AlgorithmAndLock()
    {
        string? algorithm = null, lockOption = null;
        while (true)
        {
            if (Accept("ALGORITHM"))
            {
                AcceptEquals();
                algorithm = Word();
            }
            else if (Accept("LOCK"))
            {
                AcceptEquals();
                lockOption = Word();
            }
            else return (algorithm, lockOption);
        }
    }
}
