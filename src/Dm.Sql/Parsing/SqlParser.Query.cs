using System.Text;
using Dm.Sql.Ast;
using Dm.Sql.Lexing;

namespace Dm.Sql.Parsing;

/// <summary>
/// Queries are not parsed into trees; the scanner finds where they end and which tokens name tables:
/// the name after FROM or JOIN, and after a comma in a FROM list. Names of WITH (CTE) queries and
/// DUAL are not tables.
/// </summary>
public sealed partial class SqlParser
{
    /// <summary>The rest of the statement as a query (stops at ';', end, or where <paramref name="stop"/> says).</summary>
    private SqlQuery QueryText(Func<bool>? stop = null)
    {
        var start = _i;
        var depth = 0;
        var references = new List<(int From, int To, TableName Name)>();
        var fromDepths = new Stack<int>();
        var expectTable = false;
        var cteNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            var token = Cur;
            if (token.Kind == TokenKind.End) break;
            if (token.Kind == TokenKind.Symbol)
            {
                if ((object?)token.Canonical == "(")
                {
                    // WITH name [(cols)] AS ( ... ): remember the name
                    if (_i >= 2 && PeekAt(-1).IsWord("AS", _s) && IsIdentifier(PeekAt(-2)))
                        cteNames.Add(TokenText.Identifier(PeekAt(-2), _s));
                    depth++;
                    expectTable = false;
                }
                else if ((object?)token.Canonical == ")")
                {
                    if (depth == 0) throw Unexpected("end of query");
                    depth--;
                    while (fromDepths.Count > 0 && fromDepths.Peek() > depth) fromDepths.Pop();
                }
                else if (depth == 0 && (object?)token.Canonical == ";") break;
                else if ((object?)token.Canonical == "," && fromDepths.Count > 0 && fromDepths.Peek() == depth) expectTable = true;
                Advance();
                continue;
            }
            if (depth == 0 && stop != null && stop()) break;
            if (token.Kind == TokenKind.Word && !expectTable)
            {
                switch (token.Canonical)
                {
                    case "FROM":
                        fromDepths.Push(depth);
                        expectTable = true;
                        break;
                    case "WHERE" or "GROUP" or "HAVING" or "ORDER" or "LIMIT" or "UNION" or "WINDOW" or "INTO" or "FOR" or "LOCK"
                        or "EXCEPT" or "INTERSECT" or "SELECT":
                        if (fromDepths.Count > 0 && fromDepths.Peek() == depth) fromDepths.Pop();
                        break;
                    default:
                        if (token.IsWord("JOIN", _s) || token.IsWord("STRAIGHT_JOIN", _s)) expectTable = true;
                        break;
                }
                Advance();
                continue;
            }
            if (expectTable)
            {
                expectTable = false;
                if (IsIdentifier(token) && !PeekAt(1).IsSymbol("(") && !token.IsWord("DUAL", _s) && !token.IsWord("LATERAL", _s))
                {
                    var from = _i;
                    var name = TableName();
                    if (name.Schema != null || !cteNames.Contains(name.Name)) references.Add((from, _i, name));
                    continue;
                }
            }
            Advance();
        }
        if (depth != 0) throw Unexpected("')'");
        if (_i == start) throw Unexpected("a query");
        return BuildQuery(start, _i, references);
    }

    /// <summary>Canonical text as <see cref="TextOf"/> builds it, recording where each table reference lands.</summary>
    private SqlQuery BuildQuery(int from, int to, List<(int From, int To, TableName Name)> references)
    {
        var sb = new StringBuilder();
        var tables = new List<TableReference>(references.Count);
        var next = 0;
        var referenceStart = -1;
        for (var k = from; k < to; k++)
        {
            if (k > from && NeedsSpace(k, from)) sb.Append(' ');
            if (next < references.Count && references[next].From == k) referenceStart = sb.Length;
            AppendToken(sb, _t[k]);
            if (next < references.Count && references[next].To == k + 1)
            {
                tables.Add(new TableReference(referenceStart, sb.Length - referenceStart, references[next].Name));
                next++;
            }
        }
        return new SqlQuery(sb.ToString(), tables.ToSqlList());
    }

    /// <summary>Everything up to the end of the statement as canonical text (sequence options).</summary>
    private SqlExpression RestOfStatement()
    {
        var start = _i;
        while (!IsStatementEnd()) Advance();
        return TextOf(start, _i);
    }
}
