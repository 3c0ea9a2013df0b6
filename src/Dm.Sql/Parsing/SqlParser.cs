using Dm.Sql.Ast;
using Dm.Sql.Lexing;

namespace Dm.Sql.Parsing;

/// <summary>
/// Recursive-descent parser for the MySQL/MariaDB statements replication has to understand. Split by
/// statement family into partial files; this one holds the entry points and token navigation.
/// Every failure is a <see cref="SqlParseException"/> naming line, column and the unexpected token.
/// </summary>
public sealed partial class SqlParser
{
    private readonly string _s;
    private readonly List<Token> _t;
    private readonly LexerOptions _options;
    private int _i;
    private int _statementStart;

    private SqlParser(string source, LexerOptions options)
    {
        _s = source;
        _options = options;
        _t = Lexer.Tokenize(source, options);
    }

    /// <summary>Parses every statement of a (possibly multi-statement) text.</summary>
    public static IReadOnlyList<Statement> ParseAll(string sql, LexerOptions? options = null)
    {
        var parser = Create(sql, options);
        return parser.Guard(parser.ParseStatements);
    }

    /// <summary>Parses the statements of encoded text, e.g. a binlog query event's bytes in the event's charset (UTF-8 when null).</summary>
    public static IReadOnlyList<Statement> ParseAll(ReadOnlySpan<byte> text, System.Text.Encoding? encoding = null, LexerOptions? options = null) =>
        ParseAll((encoding ?? System.Text.Encoding.UTF8).GetString(text), options);

    /// <summary>Parses exactly one statement (a trailing ';' is allowed).</summary>
    public static Statement Parse(string sql, LexerOptions? options = null)
    {
        var parser = Create(sql, options);
        return parser.Guard(() =>
        {
            var statements = parser.ParseStatements();
            if (statements.Count == 1) return statements[0];
            if (statements.Count == 0) throw parser.Error("empty statement", SqlErrorKind.Syntax, parser._t[^1]);
            throw new SqlParseException(SqlErrorKind.Syntax, "expected one statement, found several", 1, 1, "");
        });
    }

    /// <summary>
    /// Splits a text into statement texts at top-level ';' (comments and quotes respected; the bodies
    /// of routines, triggers and events stay whole).
    /// </summary>
    public static IReadOnlyList<string> SplitStatements(string sql, LexerOptions? options = null)
    {
        var tokens = Guarded(() => Lexer.Tokenize(sql, options ?? LexerOptions.Default));
        var result = new List<string>();
        var i = 0;
        while (tokens[i].Kind != TokenKind.End)
        {
            if (tokens[i].IsSymbol(";"))
            {
                i++;
                continue;
            }
            var end = StatementEnd(tokens, sql, i);
            result.Add(StatementText(tokens, sql, i, end));
            i = end;
        }
        return result;
    }

    /// <summary>
    /// The source text of tokens [start, end): from just after the previous ';' (so an enclosing
    /// executable comment such as <c>/*!40101 SET NAMES utf8 */</c> stays whole) to the terminator, trimmed.
    /// </summary>
    private static string StatementText(List<Token> tokens, string sql, int start, int end)
    {
        var from = start > 0 ? tokens[start - 1].End : 0;
        var stop = tokens[end].Kind == TokenKind.End ? sql.Length : tokens[end].Start;
        return sql[from..stop].Trim();
    }

    /// <summary>Index of the ';' or End token that ends the statement starting at <paramref name="start"/>.</summary>
    private static int StatementEnd(List<Token> tokens, string sql, int start)
    {
        var compound = IsCompoundStart(tokens, sql, start);
        var depth = 0;
        for (var k = start; ; k++)
        {
            var token = tokens[k];
            if (token.Kind == TokenKind.End) return k;
            if (token.Kind == TokenKind.Symbol && depth <= 0 && token.IsSymbol(";")) return k;
            if (!compound || token.Kind != TokenKind.Word) continue;
            if (token.IsWord("BEGIN", sql) || token.IsWord("CASE", sql) && !(k > 0 && tokens[k - 1].IsWord("END", sql))) depth++;
            else if (token.IsWord("END", sql))
            {
                var next = tokens[k + 1];
                if (!(next.IsWord("IF", sql) || next.IsWord("LOOP", sql) || next.IsWord("WHILE", sql) || next.IsWord("REPEAT", sql))) depth--;
            }
        }
    }

    /// <summary>CREATE ... TRIGGER/PROCEDURE/FUNCTION/EVENT/PACKAGE or BEGIN NOT ATOMIC: bodies may hold ';'.</summary>
    private static bool IsCompoundStart(List<Token> tokens, string sql, int start)
    {
        var first = tokens[start];
        if (first.IsWord("BEGIN", sql)) return tokens[start + 1].IsWord("NOT", sql);
        if (!first.IsWord("CREATE", sql)) return false;
        for (var k = start + 1; k < tokens.Count && k < start + 12; k++)
        {
            var token = tokens[k];
            if (token.Kind == TokenKind.End || token.IsSymbol(";") || token.IsSymbol("(")) return false;
            if (token.IsWord("TRIGGER", sql) || token.IsWord("PROCEDURE", sql) || token.IsWord("FUNCTION", sql) ||
                token.IsWord("EVENT", sql) || token.IsWord("PACKAGE", sql)) return true;
            if (token.IsWord("TABLE", sql) || token.IsWord("VIEW", sql) || token.IsWord("INDEX", sql) || token.IsWord("DATABASE", sql)) return false;
        }
        return false;
    }

    private static SqlParser Create(string sql, LexerOptions? options)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return Guarded(() => new SqlParser(sql, options ?? LexerOptions.Default));
    }

    private static T Guarded<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqlParseException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new SqlParseException(SqlErrorKind.Syntax, "internal parser error: " + e.Message, 1, 1, "");
        }
    }

    /// <summary>Turns any stray exception into the parser's own error at the current token.</summary>
    private T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqlParseException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Error("internal parser error: " + e.Message, SqlErrorKind.Syntax, Cur);
        }
    }

    private List<Statement> ParseStatements()
    {
        var statements = new List<Statement>();
        while (true)
        {
            while (AcceptSym(";")) { }
            if (Cur.Kind == TokenKind.End) return statements;
            statements.Add(ParseStatement());
            if (Cur.Kind == TokenKind.End) return statements;
            if (!IsSym(";")) throw Unexpected("';' or end of statement");
        }
    }

    private Statement ParseStatement()
    {
        _statementStart = _i;
        var first = Cur;
        if (first.Kind == TokenKind.Word)
        {
            switch (first.Canonical)
            {
                case "CREATE": return ParseCreate();
                case "ALTER": return ParseAlter();
                case "DROP": return ParseDrop();
                case "RENAME": return ParseRename();
                case "TRUNCATE": return ParseTruncate();
                case "USE":
                    Advance();
                    return new UseStatement(Identifier());
            }
        }
        return ParsePassThrough(first);
    }

    // ---- token navigation ----

    private Token Cur => _t[_i];

    private Token PeekAt(int offset) => _t[Math.Min(_i + offset, _t.Count - 1)];

    private void Advance()
    {
        if (_i < _t.Count - 1) _i++;
    }

    private bool Is(string upper) => Cur.IsWord(upper, _s);

    private bool IsAt(int offset, string upper) => PeekAt(offset).IsWord(upper, _s);

    private bool IsSym(string symbol) => Cur.IsSymbol(symbol);

    private bool Accept(string upper)
    {
        if (!Is(upper)) return false;
        Advance();
        return true;
    }

    private bool Accept(string first, string second)
    {
        if (!Is(first) || !IsAt(1, second)) return false;
        _i += 2;
        return true;
    }

    private bool AcceptSym(string symbol)
    {
        if (!IsSym(symbol)) return false;
        Advance();
        return true;
    }

    private void Expect(string upper)
    {
        if (!Accept(upper)) throw Unexpected(upper);
    }

    private void ExpectSym(string symbol)
    {
        if (!AcceptSym(symbol)) throw Unexpected($"'{symbol}'");
    }

    private bool AcceptIfExists() => Is("IF") && IsAt(1, "EXISTS") && Accept("IF", "EXISTS");

    private bool AcceptIfNotExists()
    {
        if (!Is("IF") || !IsAt(1, "NOT") || !IsAt(2, "EXISTS")) return false;
        _i += 3;
        return true;
    }

    private string TokenDisplay(Token token) => token.Kind == TokenKind.End ? "end of input" : token.Text(_s);

    private SqlParseException Error(string reason, SqlErrorKind kind, Token at) =>
        new(kind, reason, at.Line, at.Column, TokenDisplay(at));

    private SqlParseException Unexpected(string expected) =>
        Error($"expected {expected}, found {(Cur.Kind == TokenKind.End ? "end of input" : "'" + Cur.Text(_s) + "'")}", SqlErrorKind.Syntax, Cur);

    // ---- names and literals ----

    private bool IsIdentifier(Token token) =>
        token.Kind == TokenKind.QuotedIdentifier ||
        (token.Kind == TokenKind.Word && !(token.Canonical != null && Keywords.IsReserved(token.Canonical)));

    private string Identifier()
    {
        var token = Cur;
        if (!IsIdentifier(token)) throw Unexpected("an identifier");
        Advance();
        return TokenText.Identifier(token, _s);
    }

    /// <summary>An identifier where reserved words are also taken (after '.' or as option values).</summary>
    private string AnyName()
    {
        var token = Cur;
        if (token.Kind is not (TokenKind.Word or TokenKind.QuotedIdentifier)) throw Unexpected("a name");
        Advance();
        return TokenText.Identifier(token, _s);
    }

    private TableName TableName()
    {
        var first = Identifier();
        if (IsSym(".") )
        {
            Advance();
            return new TableName(first, AnyName());
        }
        return new TableName(null, first);
    }

    private List<TableName> TableNameList()
    {
        var names = new List<TableName> { TableName() };
        while (AcceptSym(",")) names.Add(TableName());
        return names;
    }

    private List<string> IdentifierList()
    {
        var names = new List<string> { Identifier() };
        while (AcceptSym(",")) names.Add(Identifier());
        return names;
    }

    private List<string> ParenthesizedIdentifierList()
    {
        ExpectSym("(");
        var names = IdentifierList();
        ExpectSym(")");
        return names;
    }

    private int Integer()
    {
        var token = Cur;
        if (token.Kind != TokenKind.Number || !int.TryParse(token.Span(_s), out var value)) throw Unexpected("an integer");
        Advance();
        return value;
    }

    private string StringLiteral()
    {
        var token = Cur;
        if (token.Kind != TokenKind.String) throw Unexpected("a string");
        Advance();
        var value = TokenText.String(token, _s, _options.NoBackslashEscapes);
        // adjacent literals concatenate: 'a' 'b'
        while (Cur.Kind == TokenKind.String)
        {
            value += TokenText.String(Cur, _s, _options.NoBackslashEscapes);
            Advance();
        }
        return value;
    }

    /// <summary>A charset or collation name: identifier, string, or BINARY/DEFAULT.</summary>
    private string CharsetName()
    {
        if (Cur.Kind == TokenKind.String) return StringLiteral();
        if (Cur.Kind == TokenKind.Word && (Is("BINARY") || Is("DEFAULT") || Is("ASCII")))
        {
            var text = Cur.Canonical!;
            Advance();
            return text.ToLowerInvariant() == "default" ? "DEFAULT" : text.ToLowerInvariant();
        }
        return AnyName();
    }

    private void AcceptEquals() => AcceptSym("=");

    /// <summary>The upper-case text of the current word, consumed.</summary>
    private string Word()
    {
        if (Cur.Kind != TokenKind.Word) throw Unexpected("a keyword");
        var text = Cur.Canonical ?? Cur.Text(_s).ToUpperInvariant();
        Advance();
        return text;
    }
}
