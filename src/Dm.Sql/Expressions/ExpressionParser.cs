using System.Globalization;
using Dm.Sql.Lexing;

namespace Dm.Sql.Expressions;

/// <summary>
/// Parses one scalar expression with MySQL's precedence (OR, XOR, AND, NOT, comparisons and predicates, + -, * / DIV % MOD,
/// unary - ! ~) into a <see cref="ValueExpression"/>. Syntax errors and functions <see cref="SqlFunctions"/> does not know are
/// <see cref="SqlParseException"/>s naming where.
/// </summary>
public sealed class ExpressionParser
{
    private static readonly HashSet<string> Comparisons = ["=", "<=>", "<>", "!=", "<", "<=", ">", ">="];

    private readonly string _s;
    private readonly List<Token> _t;
    private int _i;

    private ExpressionParser(string text, LexerOptions? options)
    {
        _s = text;
        _t = Lexer.Tokenize(text, options);
    }

    public static ValueExpression Parse(string text, LexerOptions? options = null)
    {
        var parser = new ExpressionParser(text, options);
        if (parser.Peek.Kind == TokenKind.End) throw parser.Error("an empty expression");
        var expression = parser.Or();
        if (parser.Peek.Kind != TokenKind.End) throw parser.Error("unexpected text after the expression");
        return expression;
    }

    private Token Peek => _t[_i];

    private Token Next() => _t[_i++];

    private bool Word(string upper)
    {
        if (!Peek.IsWord(upper, _s)) return false;
        _i++;
        return true;
    }

    private bool WordAt(int offset, string upper) => _i + offset < _t.Count && _t[_i + offset].IsWord(upper, _s);

    private bool Symbol(string symbol)
    {
        if (!Peek.IsSymbol(symbol)) return false;
        _i++;
        return true;
    }

    private void Expect(string symbol)
    {
        if (!Symbol(symbol)) throw Error($"'{symbol}' expected");
    }

    private SqlParseException Error(string reason, SqlErrorKind kind = SqlErrorKind.Syntax)
    {
        var token = Peek;
        return new SqlParseException(kind, reason, token.Line, token.Column, token.Kind == TokenKind.End ? "end of input" : token.Text(_s));
    }

    private ValueExpression Or()
    {
        var left = Xor();
        while (Word("OR") || Symbol("||")) left = new BinaryExpression("OR", left, Xor());
        return left;
    }

    private ValueExpression Xor()
    {
        var left = And();
        while (Word("XOR")) left = new BinaryExpression("XOR", left, And());
        return left;
    }

    private ValueExpression And()
    {
        var left = Not();
        while (Word("AND") || Symbol("&&")) left = new BinaryExpression("AND", left, Not());
        return left;
    }

    private ValueExpression Not() => Word("NOT") ? new UnaryExpression("NOT", Not()) : Predicate();

    private ValueExpression Predicate()
    {
        var left = Additive();
        while (true)
        {
            if (Peek.Kind == TokenKind.Symbol && Peek.Canonical is { } op && Comparisons.Contains(op))
            {
                _i++;
                left = new BinaryExpression(op, left, Additive());
                continue;
            }
            if (Word("IS"))
            {
                var not = Word("NOT");
                var what = Peek.IsWord("NULL", _s) ? "NULL" : Peek.IsWord("TRUE", _s) ? "TRUE" : Peek.IsWord("FALSE", _s) ? "FALSE"
                    : Peek.IsWord("UNKNOWN", _s) ? "UNKNOWN" : throw Error("NULL, TRUE, FALSE or UNKNOWN expected after IS");
                _i++;
                left = new IsExpression(left, what, not);
                continue;
            }
            var negated = Peek.IsWord("NOT", _s) && (WordAt(1, "IN") || WordAt(1, "BETWEEN") || WordAt(1, "LIKE") || WordAt(1, "REGEXP") || WordAt(1, "RLIKE"));
            if (negated) _i++;
            if (Word("IN"))
            {
                Expect("(");
                var values = new List<ValueExpression> { Or() };
                while (Symbol(",")) values.Add(Or());
                Expect(")");
                left = new InExpression(left, values, negated);
            }
            else if (Word("BETWEEN"))
            {
                var low = Additive();
                if (!Word("AND")) throw Error("AND expected in BETWEEN");
                left = new BetweenExpression(left, low, Additive(), negated);
            }
            else if (Word("LIKE"))
            {
                var pattern = Additive();
                var escape = '\\';
                if (Word("ESCAPE"))
                {
                    if (Peek.Kind != TokenKind.String) throw Error("a one-character string expected after ESCAPE");
                    var text = TokenText.String(Next(), _s);
                    if (text.Length != 1) throw Error("ESCAPE takes one character");
                    escape = text[0];
                }
                left = new MatchExpression(left, pattern, Regexp: false, escape, negated);
            }
            else if (Word("REGEXP") || Word("RLIKE"))
            {
                left = new MatchExpression(left, Additive(), Regexp: true, '\\', negated);
            }
            else if (negated)
            {
                throw Error("IN, BETWEEN, LIKE or REGEXP expected after NOT");
            }
            else
            {
                return left;
            }
        }
    }

    private ValueExpression Additive()
    {
        var left = Multiplicative();
        while (true)
        {
            if (Symbol("+")) left = new BinaryExpression("+", left, Multiplicative());
            else if (Symbol("-")) left = new BinaryExpression("-", left, Multiplicative());
            else return left;
        }
    }

    private ValueExpression Multiplicative()
    {
        var left = Unary();
        while (true)
        {
            if (Symbol("*")) left = new BinaryExpression("*", left, Unary());
            else if (Symbol("/")) left = new BinaryExpression("/", left, Unary());
            else if (Symbol("%") || Word("MOD")) left = new BinaryExpression("%", left, Unary());
            else if (Word("DIV")) left = new BinaryExpression("DIV", left, Unary());
            else return left;
        }
    }

    private ValueExpression Unary()
    {
        if (Symbol("-")) return new UnaryExpression("-", Unary());
        if (Symbol("+")) return Unary();
        if (Symbol("!")) return new UnaryExpression("NOT", Unary());
        if (Symbol("~")) return new UnaryExpression("~", Unary());
        return Primary();
    }

    private ValueExpression Primary()
    {
        var token = Peek;
        switch (token.Kind)
        {
            case TokenKind.Number:
                _i++;
                return new LiteralExpression(Number(token.Text(_s)));
            case TokenKind.String:
            {
                _i++;
                var text = TokenText.String(token, _s);
                while (Peek.Kind == TokenKind.String) text += TokenText.String(Next(), _s); // 'a' 'b' is 'ab'
                return new LiteralExpression(SqlValue.Of(text));
            }
            case TokenKind.Hex:
                _i++;
                return new LiteralExpression(SqlValue.Of(HexText(token.Text(_s))));
            case TokenKind.Symbol when token.IsSymbol("("):
            {
                _i++;
                var inner = Or();
                Expect(")");
                return inner;
            }
            case TokenKind.Word or TokenKind.QuotedIdentifier:
                return WordOrName();
            default:
                throw Error("an expression expected");
        }
    }

    private ValueExpression WordOrName()
    {
        var token = Next();
        if (token.Kind == TokenKind.Word)
        {
            if (token.IsWord("NULL", _s)) return new LiteralExpression(SqlValue.Null);
            if (token.IsWord("TRUE", _s)) return new LiteralExpression(SqlValue.True);
            if (token.IsWord("FALSE", _s)) return new LiteralExpression(SqlValue.False);
            // DATE '2021-01-01', TIMESTAMP '...', TIME '...': temporal literals, kept as their text.
            if ((token.IsWord("DATE", _s) || token.IsWord("TIMESTAMP", _s) || token.IsWord("TIME", _s)) && Peek.Kind == TokenKind.String)
                return new LiteralExpression(SqlValue.Of(TokenText.String(Next(), _s)));
            if (Peek.IsSymbol("("))
            {
                var name = token.Text(_s).ToUpperInvariant();
                _i++;
                var arguments = new List<ValueExpression>();
                if (!Symbol(")"))
                {
                    arguments.Add(Or());
                    while (Symbol(",")) arguments.Add(Or());
                    Expect(")");
                }
                if (SqlFunctions.Check(name, arguments.Count) is { } problem)
                    throw new SqlParseException(SqlErrorKind.Unsupported, problem, token.Line, token.Column, token.Text(_s));
                return new FunctionExpression(name, arguments);
            }
        }
        var column = TokenText.Identifier(token, _s);
        // schema.table.column or table.column: the row is of one table, the last name is the column.
        while (Symbol("."))
        {
            if (Peek.Kind is not (TokenKind.Word or TokenKind.QuotedIdentifier)) throw Error("a column name expected after '.'");
            column = TokenText.Identifier(Next(), _s);
        }
        return new ColumnExpression(column);
    }

    private static SqlValue Number(string text)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var integer)) return SqlValue.Of(integer);
        if (!text.Contains('e', StringComparison.OrdinalIgnoreCase) && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d))
            return SqlValue.Of(d);
        return SqlValue.Of(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private static string HexText(string token)
    {
        var digits = token.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? token[2..] : token[2..^1];
        if (digits.Length % 2 == 1) digits = "0" + digits;
        return System.Text.Encoding.UTF8.GetString(Convert.FromHexString(digits));
    }
}
