using System.Text;
using Dm.Sql.Ast;
using Dm.Sql.Lexing;
using Dm.Sql.Printing;

namespace Dm.Sql.Parsing;

/// <summary>
/// Expressions are not modelled as trees: the parser finds where one ends (balanced parentheses,
/// stop words) and keeps its tokens as canonical text, which prints and re-parses to itself.
/// </summary>
public sealed partial class SqlParser
{
    /// <summary>Consumes '(' ... ')' and returns the text inside.</summary>
    private SqlExpression ParenthesizedExpression()
    {
        if (!IsSym("(")) throw Unexpected("'('");
        Advance();
        var start = _i;
        SkipBalancedUntilClose();
        var expression = TextOf(start, _i);
        ExpectSym(")");
        if (expression.Text.Length == 0) throw Error("empty expression", SqlErrorKind.Syntax, _t[_i - 1]);
        return expression;
    }

    /// <summary>Advances to the ')' that closes the group we are in (not consuming it).</summary>
    private void SkipBalancedUntilClose()
    {
        var depth = 0;
        while (true)
        {
            var token = Cur;
            if (token.Kind == TokenKind.End) throw Unexpected("')'");
            if (token.Kind == TokenKind.Symbol)
            {
                if ((object?)token.Canonical == "(") depth++;
                else if ((object?)token.Canonical == ")")
                {
                    if (depth == 0) return;
                    depth--;
                }
            }
            Advance();
        }
    }

    /// <summary>
    /// Captures an expression up to ',' or ')' or ';' at depth 0, or a word for which <paramref name="stop"/>
    /// is true at depth 0.
    /// </summary>
    private SqlExpression ExpressionUntil(Func<bool>? stop = null)
    {
        var start = _i;
        var depth = 0;
        while (true)
        {
            var token = Cur;
            if (token.Kind == TokenKind.End) break;
            if (token.Kind == TokenKind.Symbol)
            {
                var c = token.Canonical;
                if ((object?)c == "(") depth++;
                else if ((object?)c == ")")
                {
                    if (depth == 0) break;
                    depth--;
                }
                else if (depth == 0 && ((object?)c == "," || (object?)c == ";")) break;
            }
            else if (depth == 0 && stop != null && token.Kind == TokenKind.Word && stop()) break;
            Advance();
        }
        if (_i == start) throw Unexpected("an expression");
        return TextOf(start, _i);
    }

    /// <summary>
    /// A DEFAULT / ON UPDATE value: a literal (signed, with charset introducer, concatenated), a
    /// parenthesised expression, a function call, or a bare word such as CURRENT_TIMESTAMP.
    /// </summary>
    private SqlExpression DefaultValue()
    {
        var start = _i;
        var token = Cur;
        switch (token.Kind)
        {
            case TokenKind.Symbol when IsSym("("):
                Advance();
                SkipBalancedUntilClose();
                Advance();
                break;
            case TokenKind.Symbol when IsSym("-") || IsSym("+"):
                Advance();
                if (Cur.Kind is not (TokenKind.Number or TokenKind.Hex or TokenKind.Bit)) throw Unexpected("a number");
                Advance();
                break;
            case TokenKind.String:
                while (Cur.Kind == TokenKind.String) Advance();
                break;
            case TokenKind.Number or TokenKind.Hex or TokenKind.Bit:
                Advance();
                break;
            case TokenKind.Word:
                Advance();
                if (Cur.Kind is TokenKind.String or TokenKind.Hex or TokenKind.Bit && !Cur.SpaceBefore
                    || Cur.Kind == TokenKind.String && (token.IsWord("DATE", _s) || token.IsWord("TIME", _s) || token.IsWord("TIMESTAMP", _s)))
                {
                    // _utf8mb4'x', DATE '2020-01-01'
                    while (Cur.Kind == TokenKind.String) Advance();
                    if (Cur.Kind is TokenKind.Hex or TokenKind.Bit) Advance();
                }
                else if (IsSym("(") )
                {
                    Advance();
                    SkipBalancedUntilClose();
                    Advance();
                }
                break;
            default:
                throw Unexpected("a default value");
        }
        return TextOf(start, _i);
    }

    /// <summary>Canonical text of tokens [from, to).</summary>
    private SqlExpression TextOf(int from, int to)
    {
        var sb = new StringBuilder();
        for (var k = from; k < to; k++)
        {
            var token = _t[k];
            if (k > from && NeedsSpace(k, from)) sb.Append(' ');
            AppendToken(sb, token);
        }
        return new SqlExpression(sb.ToString());
    }

    private bool NeedsSpace(int k, int from)
    {
        var token = _t[k];
        var previous = _t[k - 1];
        if (previous.Kind == TokenKind.Symbol && ((object?)previous.Canonical == "(" || (object?)previous.Canonical == "." || (object?)previous.Canonical == "@"))
            return false;
        if (token.Kind == TokenKind.Symbol)
        {
            var c = token.Canonical;
            if ((object?)c == ")" || (object?)c == "," || (object?)c == ".") return false;
            if ((object?)c == "(") return token.SpaceBefore;
        }
        if (token.Kind == TokenKind.UserVariable && !token.SpaceBefore) return false; // user@host
        if (previous.Kind == TokenKind.Symbol && ((object?)previous.Canonical == "-" || (object?)previous.Canonical == "+"))
        {
            // unary sign: at the start, or after an operator / '(' / ','
            if (k - 1 == from) return false;
            var before = _t[k - 2];
            if (before.Kind == TokenKind.Symbol && (object?)before.Canonical != ")") return false;
            if (before.Kind == TokenKind.Word && before.Canonical != null && Keywords.IsReserved(before.Canonical) && before.Canonical is not ("NULL" or "TRUE" or "FALSE"))
                return false;
        }
        // charset introducers and typed literals stay glued when they were glued
        if (token.Kind is TokenKind.String or TokenKind.Hex or TokenKind.Bit && previous.Kind == TokenKind.Word && !token.SpaceBefore)
            return false;
        return true;
    }

    private void AppendToken(StringBuilder sb, Token token)
    {
        switch (token.Kind)
        {
            case TokenKind.QuotedIdentifier:
                sb.Append(Quoting.Identifier(TokenText.Identifier(token, _s)));
                break;
            case TokenKind.String when _s[token.Start] == '"':
                sb.Append(Quoting.StringLiteral(TokenText.String(token, _s, _options.NoBackslashEscapes)));
                break;
            default:
                sb.Append(_s, token.Start, token.Length);
                break;
        }
    }
}
