using Dm.Sql.Ast;
using Dm.Sql.Lexing;

namespace Dm.Sql.Parsing;

/// <summary>CREATE / ALTER / DROP DATABASE (SCHEMA).</summary>
public sealed partial class SqlParser
{
    private Statement ParseCreateDatabase(bool orReplace)
    {
        Advance(); // DATABASE | SCHEMA
        var ifNotExists = AcceptIfNotExists();
        var name = Identifier();
        return new CreateDatabaseStatement(name, orReplace, ifNotExists, DatabaseOptions());
    }

    private Statement ParseAlterDatabase()
    {
        Advance();
        string? name = null;
        if (IsIdentifier(Cur) && !IsDatabaseOptionStart()) name = Identifier();
        if (name != null && Is("UPGRADE"))
        {
            // ALTER DATABASE #mysql50#x UPGRADE DATA DIRECTORY NAME
            Advance();
            Expect("DATA"); Expect("DIRECTORY"); Expect("NAME");
            return new AlterDatabaseStatement(name, SqlList.Of(new DatabaseOption("UPGRADE DATA DIRECTORY NAME", "", false)));
        }
        var options = DatabaseOptions();
        if (options.Count == 0) throw Unexpected("a database option");
        return new AlterDatabaseStatement(name, options);
    }

    private bool IsDatabaseOptionStart() =>
        Is("DEFAULT") || Is("CHARACTER") || Is("CHARSET") || Is("COLLATE") || Is("COMMENT") || Is("ENCRYPTION") || Is("READ");

    private SqlList<DatabaseOption> DatabaseOptions()
    {
        List<DatabaseOption>? options = null;
        while (true)
        {
            var hadDefault = Accept("DEFAULT");
            DatabaseOption option;
            if (Accept("CHARACTER", "SET") || Accept("CHARSET"))
            {
                AcceptEquals();
                option = new DatabaseOption("CHARACTER SET", CharsetName(), false);
            }
            else if (Accept("COLLATE"))
            {
                AcceptEquals();
                option = new DatabaseOption("COLLATE", CharsetName(), false);
            }
            else if (Accept("COMMENT"))
            {
                AcceptEquals();
                option = new DatabaseOption("COMMENT", StringLiteral(), true);
            }
            else if (Accept("ENCRYPTION"))
            {
                AcceptEquals();
                option = new DatabaseOption("ENCRYPTION", StringLiteral(), true);
            }
            else if (Accept("READ", "ONLY"))
            {
                AcceptEquals();
                option = new DatabaseOption("READ ONLY", Cur.Kind == TokenKind.Number ? Integer().ToString(System.Globalization.CultureInfo.InvariantCulture) : Word(), false);
            }
            else
            {
                if (hadDefault) throw Unexpected("CHARACTER SET, COLLATE or ENCRYPTION");
                return options?.ToSqlList() ?? SqlList<DatabaseOption>.Empty;
            }
            (options ??= []).Add(option);
        }
    }

    private Statement ParseDropDatabase()
    {
        Advance();
        var ifExists = AcceptIfExists();
        return new DropDatabaseStatement(Identifier(), ifExists);
    }
}
