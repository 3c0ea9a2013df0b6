using Dm.Sql.Ast;
using Dm.Sql.Lexing;

namespace Dm.Sql.Parsing;

/// <summary>CREATE/ALTER/DROP VIEW and MariaDB sequences.</summary>
public sealed partial class SqlParser
{
    private Statement ParseViewBody(bool orReplace, bool isAlter, string? algorithm, string? definer, string? security)
    {
        Expect("VIEW");
        var ifNotExists = !isAlter && AcceptIfNotExists();
        var view = TableName();
        var columns = SqlList<string>.Empty;
        if (IsSym("(")) columns = ParenthesizedIdentifierList().ToSqlList();
        Expect("AS");
        var query = QueryText(IsCheckOptionTail);
        string? checkOption = null;
        if (Accept("WITH"))
        {
            checkOption = "";
            if (Is("CASCADED") || Is("LOCAL")) checkOption = Word();
            Expect("CHECK");
            Expect("OPTION");
        }
        return new CreateViewStatement(view, orReplace, isAlter, ifNotExists, algorithm, definer, security, columns, query, checkOption);
    }

    /// <summary>WITH [CASCADED|LOCAL] CHECK OPTION at the end of a view's query.</summary>
    private bool IsCheckOptionTail()
    {
        if (!Is("WITH")) return false;
        var k = 1;
        if (IsAt(1, "CASCADED") || IsAt(1, "LOCAL")) k = 2;
        if (!IsAt(k, "CHECK") || !IsAt(k + 1, "OPTION")) return false;
        var after = PeekAt(k + 2);
        return after.Kind == TokenKind.End || after.IsSymbol(";");
    }

    private Statement ParseDropView()
    {
        Expect("VIEW");
        var ifExists = AcceptIfExists();
        var views = TableNameList();
        string? behavior = null;
        if (Is("RESTRICT") || Is("CASCADE")) behavior = Word();
        return new DropViewStatement(ifExists, views.ToSqlList(), behavior);
    }

    private Statement ParseCreateSequence(bool orReplace, bool temporary)
    {
        Expect("SEQUENCE");
        var ifNotExists = AcceptIfNotExists();
        var name = TableName();
        return new SequenceStatement(SequenceAction.Create, orReplace, temporary, false, ifNotExists, SqlList.Of(name), SequenceOptions());
    }

    private Statement ParseAlterSequence()
    {
        Expect("SEQUENCE");
        var ifExists = AcceptIfExists();
        var name = TableName();
        return new SequenceStatement(SequenceAction.Alter, false, false, ifExists, false, SqlList.Of(name), SequenceOptions());
    }

    private Statement ParseDropSequence(bool temporary)
    {
        Expect("SEQUENCE");
        var ifExists = AcceptIfExists();
        var names = TableNameList();
        return new SequenceStatement(SequenceAction.Drop, false, temporary, ifExists, false, names.ToSqlList(), null);
    }

    private SqlExpression? SequenceOptions() => IsStatementEnd() ? null : RestOfStatement();
}
