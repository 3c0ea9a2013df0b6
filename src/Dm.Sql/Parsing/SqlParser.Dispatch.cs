using Dm.Sql.Ast;
using Dm.Sql.Lexing;

namespace Dm.Sql.Parsing;

/// <summary>CREATE / ALTER / DROP / RENAME / TRUNCATE: pick the statement family from the words that follow.</summary>
public sealed partial class SqlParser
{
    private Statement ParseCreate()
    {
        var first = Cur;
        Expect("CREATE");
        var orReplace = Accept("OR", "REPLACE");
        if (Is("TEMPORARY") && (IsAt(1, "TABLE") || IsAt(1, "SEQUENCE")))
        {
            Advance();
            return Is("TABLE") ? ParseCreateTable(orReplace, temporary: true) : ParseCreateSequence(orReplace, temporary: true);
        }
        if (Is("TABLE")) return ParseCreateTable(orReplace, temporary: false);
        if (Is("DATABASE") || Is("SCHEMA")) return ParseCreateDatabase(orReplace);
        if (Is("INDEX") || ((Is("UNIQUE") || Is("FULLTEXT") || Is("SPATIAL")) && IsAt(1, "INDEX")))
            return ParseCreateIndex(orReplace);
        if (Is("SEQUENCE")) return ParseCreateSequence(orReplace, temporary: false);

        // view / routine prefixes: ALGORITHM=, DEFINER=, SQL SECURITY
        var save = _i;
        var (algorithm, definer, security) = ViewPrefix();
        if (Is("VIEW")) return ParseViewBody(orReplace, isAlter: false, algorithm, definer, security);
        if (Is("TRIGGER")) return PassThroughToEnd(first, PassThroughKind.Trigger);
        if (Is("PROCEDURE") || Is("FUNCTION") || Is("AGGREGATE") || Is("PACKAGE")) return PassThroughToEnd(first, PassThroughKind.Routine);
        if (Is("EVENT")) return PassThroughToEnd(first, PassThroughKind.Event);
        _i = save;
        if (Is("USER") || Is("ROLE")) return PassThroughStatementFrom(first, PassThroughKind.Account);
        if (Is("TABLESPACE") || Is("SERVER") || Is("LOGFILE") || Is("SPATIAL") && IsAt(1, "REFERENCE") || Is("RESOURCE"))
            return PassThroughStatementFrom(first, PassThroughKind.Other);
        throw Error("unknown CREATE statement", SqlErrorKind.Unsupported, Cur);
    }

    private Statement ParseAlter()
    {
        var first = Cur;
        Expect("ALTER");
        if (Is("TABLE") || Is("ONLINE") || Is("OFFLINE") || Is("IGNORE")) return ParseAlterTable();
        if (Is("DATABASE") || Is("SCHEMA")) return ParseAlterDatabase();
        if (Is("SEQUENCE")) return ParseAlterSequence();
        var save = _i;
        var (algorithm, definer, security) = ViewPrefix();
        if (Is("VIEW")) return ParseViewBody(orReplace: false, isAlter: true, algorithm, definer, security);
        if (Is("PROCEDURE") || Is("FUNCTION")) return PassThroughStatementFrom(first, PassThroughKind.Routine);
        if (Is("EVENT")) return PassThroughToEnd(first, PassThroughKind.Event);
        _i = save;
        if (Is("USER") || Is("ROLE")) return PassThroughStatementFrom(first, PassThroughKind.Account);
        if (Is("TABLESPACE") || Is("SERVER") || Is("LOGFILE") || Is("INSTANCE") || Is("RESOURCE"))
            return PassThroughStatementFrom(first, PassThroughKind.Other);
        throw Error("unknown ALTER statement", SqlErrorKind.Unsupported, Cur);
    }

    private Statement ParseDrop()
    {
        var first = Cur;
        Expect("DROP");
        if (Is("TEMPORARY") && (IsAt(1, "TABLE") || IsAt(1, "TABLES") || IsAt(1, "SEQUENCE")))
        {
            Advance();
            return Is("SEQUENCE") ? ParseDropSequence(temporary: true) : ParseDropTable(temporary: true);
        }
        if (Is("TABLE") || Is("TABLES")) return ParseDropTable(temporary: false);
        if (Is("DATABASE") || Is("SCHEMA")) return ParseDropDatabase();
        if (Is("INDEX")) return ParseDropIndex();
        if (Is("VIEW")) return ParseDropView();
        if (Is("SEQUENCE")) return ParseDropSequence(temporary: false);
        if (Is("TRIGGER")) return PassThroughStatementFrom(first, PassThroughKind.Trigger);
        if (Is("PROCEDURE") || Is("FUNCTION") || Is("PACKAGE")) return PassThroughStatementFrom(first, PassThroughKind.Routine);
        if (Is("EVENT")) return PassThroughStatementFrom(first, PassThroughKind.Event);
        if (Is("USER") || Is("ROLE")) return PassThroughStatementFrom(first, PassThroughKind.Account);
        if (Is("TABLESPACE") || Is("SERVER") || Is("LOGFILE") || Is("SPATIAL") || Is("RESOURCE"))
            return PassThroughStatementFrom(first, PassThroughKind.Other);
        throw Error("unknown DROP statement", SqlErrorKind.Unsupported, Cur);
    }

    private Statement ParseRename()
    {
        var first = Cur;
        Expect("RENAME");
        if (Is("USER")) return PassThroughStatementFrom(first, PassThroughKind.Account);
        if (!Accept("TABLE") && !Accept("TABLES")) throw Unexpected("TABLE");
        var ifExists = AcceptIfExists();
        var pairs = new List<RenamePair>();
        do
        {
            var from = TableName();
            SkipWaitOption();
            Expect("TO");
            pairs.Add(new RenamePair(from, TableName()));
        } while (AcceptSym(","));
        return new RenameTableStatement(ifExists, pairs.ToSqlList());
    }

    private Statement ParseTruncate()
    {
        Expect("TRUNCATE");
        Accept("TABLE");
        var table = TableName();
        SkipWaitOption();
        return new TruncateTableStatement(table);
    }

    /// <summary>MariaDB WAIT n | NOWAIT: a lock timeout that does not change what the statement does.</summary>
    private void SkipWaitOption()
    {
        if (Accept("NOWAIT")) return;
        if (Is("WAIT") && PeekAt(1).Kind == TokenKind.Number)
        {
            Advance();
            Advance();
        }
    }

    private (string? Algorithm, string? Definer, string? Security) ViewPrefix()
    {
        string? algorithm = null, definer = null, security = null;
        while (true)
        {
            if (Is("ALGORITHM") && PeekAt(1).IsSymbol("="))
            {
                _i += 2;
                algorithm = Word();
            }
            else if (Is("DEFINER") && PeekAt(1).IsSymbol("="))
            {
                _i += 2;
                definer = UserName();
            }
            else if (Is("SQL") && IsAt(1, "SECURITY"))
            {
                _i += 2;
                security = Word();
            }
            else return (algorithm, definer, security);
        }
    }

    /// <summary>'user'@'host', user@host or CURRENT_USER[()]; kept as canonical text.</summary>
    private string UserName()
    {
        var start = _i;
        if (Accept("CURRENT_USER"))
        {
            if (IsSym("(") && PeekAt(1).IsSymbol(")")) _i += 2;
            return TextOf(start, _i).Text;
        }
        if (Cur.Kind is not (TokenKind.String or TokenKind.Word or TokenKind.QuotedIdentifier)) throw Unexpected("a user name");
        Advance();
        if (Cur.Kind == TokenKind.UserVariable && !Cur.SpaceBefore) Advance();
        return TextOf(start, _i).Text;
    }
}
