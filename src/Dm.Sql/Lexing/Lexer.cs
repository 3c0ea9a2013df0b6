namespace Dm.Sql.Lexing;

/// <summary>
/// Splits MySQL/MariaDB text into tokens. Comments are skipped; the body of an executable comment
/// (<c>/*! ... */</c>, <c>/*!50708 ... */</c>, <c>/*M! ... */</c>) is lexed as ordinary SQL because the
/// servers that wrote it executed it.
/// </summary>
public sealed class Lexer
{
    private readonly string _s;
    private readonly LexerOptions _options;
    private int _pos;
    private int _line = 1;
    private int _lineStart;
    private int _executableDepth;

    private Lexer(string source, LexerOptions options)
    {
        _s = source;
        _options = options;
    }

    /// <summary>All tokens of <paramref name="source"/>, ending with one <see cref="TokenKind.End"/> token.</summary>
    public static List<Token> Tokenize(string source, LexerOptions? options = null)
    {
        var lexer = new Lexer(source, options ?? LexerOptions.Default);
        var tokens = new List<Token>(Math.Max(16, source.Length / 5));
        while (true)
        {
            var token = lexer.Next();
            tokens.Add(token);
            if (token.Kind == TokenKind.End) return tokens;
        }
    }

    private SqlParseException Error(string reason, int at)
    {
        var (line, column) = PositionOf(at);
        var end = Math.Min(_s.Length, at + 10);
        return new SqlParseException(SqlErrorKind.Syntax, reason, line, column, at >= _s.Length ? "end of input" : _s[at..end]);
    }

    /// <summary>Line and column of an offset (only used for errors, so a rescan is fine).</summary>
    private (int Line, int Column) PositionOf(int at)
    {
        int line = 1, lineStart = 0;
        for (var i = 0; i < at && i < _s.Length; i++)
            if (_s[i] == '\n') { line++; lineStart = i + 1; }
        return (line, at - lineStart + 1);
    }

    private Token Make(TokenKind kind, int start, string? canonical, bool space, int line, int column) =>
        new(kind, start, _pos - start, line, column, canonical, space);

    private Token Next()
    {
        var space = SkipSpaceAndComments();
        var start = _pos;
        var line = _line;
        var column = start - _lineStart + 1;
        if (_pos >= _s.Length) return new Token(TokenKind.End, _s.Length, 0, line, column, null, space);
        var c = _s[_pos];

        if (c == '`') return QuotedIdentifier('`', start, space, line, column);
        if (c == '"') return _options.AnsiQuotes ? QuotedIdentifier('"', start, space, line, column) : StringLiteral('"', start, space, line, column);
        if (c == '\'') return StringLiteral('\'', start, space, line, column);
        if (IsDigit(c) || (c == '.' && _pos + 1 < _s.Length && IsDigit(_s[_pos + 1]) && !PreviousIsWordish(start)))
            return NumberOrWord(start, space, line, column);
        if (c == '@') return Variable(start, space, line, column);
        if (c == '?') { _pos++; return Make(TokenKind.Placeholder, start, "?", space, line, column); }
        if (IsWordStart(c))
        {
            // X'..', B'..', N'..' literals
            if (_pos + 1 < _s.Length && _s[_pos + 1] == '\'' && (c is 'x' or 'X' or 'b' or 'B' or 'n' or 'N'))
            {
                _pos++;
                var quoted = StringLiteral('\'', start, space, line, column);
                var kind = c is 'x' or 'X' ? TokenKind.Hex : c is 'b' or 'B' ? TokenKind.Bit : TokenKind.String;
                return new Token(kind, start, _pos - start, line, column, null, space);
            }
            while (_pos < _s.Length && IsWordPart(_s[_pos])) _pos++;
            return Make(TokenKind.Word, start, Keywords.Canonical(_s.AsSpan(start, _pos - start)), space, line, column);
        }
        return Symbol(start, space, line, column);
    }

    private bool PreviousIsWordish(int start) => start > 0 && (IsWordPart(_s[start - 1]) || _s[start - 1] == '`');

    private static bool IsDigit(char c) => c is >= '0' and <= '9';
    private static bool IsWordStart(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_' or '$' || c >= 0x80;
    private static bool IsWordPart(char c) => IsWordStart(c) || IsDigit(c);

    /// <summary>Skips blanks and comments; returns whether anything was skipped.</summary>
    private bool SkipSpaceAndComments()
    {
        var begin = _pos;
        while (_pos < _s.Length)
        {
            var c = _s[_pos];
            if (c == '\n') { _pos++; _line++; _lineStart = _pos; continue; }
            if (c is ' ' or '\t' or '\r' or '\f' or '\v') { _pos++; continue; }
            if (c == '#') { SkipToLineEnd(); continue; }
            if (c == '-' && _pos + 1 < _s.Length && _s[_pos + 1] == '-' &&
                (_pos + 2 >= _s.Length || _s[_pos + 2] is ' ' or '\t' or '\n' or '\r'))
            {
                SkipToLineEnd();
                continue;
            }
            if (c == '/' && _pos + 1 < _s.Length && _s[_pos + 1] == '*')
            {
                if (TryEnterExecutableComment()) continue;
                SkipBlockComment();
                continue;
            }
            if (c == '*' && _executableDepth > 0 && _pos + 1 < _s.Length && _s[_pos + 1] == '/')
            {
                _executableDepth--;
                _pos += 2;
                continue;
            }
            break;
        }
        return _pos > begin;
    }

    private void SkipToLineEnd()
    {
        while (_pos < _s.Length && _s[_pos] != '\n') _pos++;
    }

    private bool TryEnterExecutableComment()
    {
        var p = _pos + 2;
        if (p < _s.Length && _s[p] == '!') p++;
        else if (p + 1 < _s.Length && _s[p] is 'M' or 'm' && _s[p + 1] == '!') p += 2;
        else return false;
        while (p < _s.Length && IsDigit(_s[p])) p++;
        _pos = p;
        _executableDepth++;
        return true;
    }

    private void SkipBlockComment()
    {
        var start = _pos;
        _pos += 2;
        while (true)
        {
            if (_pos + 1 >= _s.Length) throw Error("unterminated comment", start);
            if (_s[_pos] == '*' && _s[_pos + 1] == '/') { _pos += 2; return; }
            if (_s[_pos] == '\n') { _line++; _lineStart = _pos + 1; }
            _pos++;
        }
    }

    private Token QuotedIdentifier(char quote, int start, bool space, int line, int column)
    {
        _pos++;
        while (true)
        {
            if (_pos >= _s.Length) throw Error("unterminated quoted identifier", start);
            var c = _s[_pos];
            if (c == quote)
            {
                if (_pos + 1 < _s.Length && _s[_pos + 1] == quote) { _pos += 2; continue; }
                _pos++;
                return Make(TokenKind.QuotedIdentifier, start, null, space, line, column);
            }
            if (c == '\n') { _line++; _lineStart = _pos + 1; }
            _pos++;
        }
    }

    private Token StringLiteral(char quote, int start, bool space, int line, int column)
    {
        _pos++;
        while (true)
        {
            if (_pos >= _s.Length) throw Error("unterminated string", start);
            var c = _s[_pos];
            if (c == '\\' && !_options.NoBackslashEscapes) { _pos += 2; continue; }
            if (c == quote)
            {
                if (_pos + 1 < _s.Length && _s[_pos + 1] == quote) { _pos += 2; continue; }
                _pos++;
                return Make(TokenKind.String, start, null, space, line, column);
            }
            if (c == '\n') { _line++; _lineStart = _pos + 1; }
            _pos++;
        }
    }

    private Token NumberOrWord(int start, bool space, int line, int column)
    {
        var c = _s[_pos];
        if (c == '0' && _pos + 1 < _s.Length && _s[_pos + 1] is 'x' or 'b')
        {
            var hex = _s[_pos + 1] == 'x';
            var p = _pos + 2;
            while (p < _s.Length && (hex ? char.IsAsciiHexDigit(_s[p]) : _s[p] is '0' or '1')) p++;
            if (p > _pos + 2 && (p >= _s.Length || !IsWordPart(_s[p])))
            {
                _pos = p;
                return Make(hex ? TokenKind.Hex : TokenKind.Bit, start, null, space, line, column);
            }
        }
        while (_pos < _s.Length && IsDigit(_s[_pos])) _pos++;
        // identifiers may begin with digits: 1abc
        if (_pos < _s.Length && IsWordStart(_s[_pos]) && !IsExponent())
        {
            while (_pos < _s.Length && IsWordPart(_s[_pos])) _pos++;
            return Make(TokenKind.Word, start, null, space, line, column);
        }
        if (_pos < _s.Length && _s[_pos] == '.')
        {
            _pos++;
            while (_pos < _s.Length && IsDigit(_s[_pos])) _pos++;
        }
        if (IsExponent())
        {
            _pos++;
            if (_s[_pos] is '+' or '-') _pos++;
            while (_pos < _s.Length && IsDigit(_s[_pos])) _pos++;
        }
        return Make(TokenKind.Number, start, null, space, line, column);
    }

    private bool IsExponent()
    {
        if (_pos >= _s.Length || _s[_pos] is not ('e' or 'E')) return false;
        var p = _pos + 1;
        if (p < _s.Length && _s[p] is '+' or '-') p++;
        return p < _s.Length && IsDigit(_s[p]);
    }

    private Token Variable(int start, bool space, int line, int column)
    {
        _pos++;
        var kind = TokenKind.UserVariable;
        if (_pos < _s.Length && _s[_pos] == '@') { _pos++; kind = TokenKind.SystemVariable; }
        if (_pos < _s.Length && _s[_pos] is '\'' or '"' or '`')
        {
            var quote = _s[_pos];
            var inner = _pos;
            if (quote == '`') QuotedIdentifier('`', inner, false, line, column); else StringLiteral(quote, inner, false, line, column);
            return new Token(kind, start, _pos - start, line, column, null, space);
        }
        while (_pos < _s.Length && (IsWordPart(_s[_pos]) || _s[_pos] == '.')) _pos++;
        if (_pos == start + 1 && kind == TokenKind.UserVariable) return Make(TokenKind.Symbol, start, "@", space, line, column);
        return Make(kind, start, null, space, line, column);
    }

    private static readonly string[] ThreeCharSymbols = ["<=>", "->>"];
    private static readonly string[] TwoCharSymbols = ["<=", ">=", "<>", "!=", ":=", "||", "&&", "<<", ">>", "->"];
    private const string OneCharSymbols = "(),;.=<>+-*/%!~^&|:{}[]\\";
    private static readonly string[] OneCharStrings = OneCharSymbols.Select(ch => string.Intern(ch.ToString())).ToArray();

    private Token Symbol(int start, bool space, int line, int column)
    {
        foreach (var sym in ThreeCharSymbols)
            if (string.CompareOrdinal(_s, _pos, sym, 0, 3) == 0) { _pos += 3; return Make(TokenKind.Symbol, start, sym, space, line, column); }
        foreach (var sym in TwoCharSymbols)
            if (string.CompareOrdinal(_s, _pos, sym, 0, 2) == 0) { _pos += 2; return Make(TokenKind.Symbol, start, sym, space, line, column); }
        var index = OneCharSymbols.IndexOf(_s[_pos]);
        if (index < 0) throw Error($"unexpected character '{_s[_pos]}'", _pos);
        _pos++;
        return Make(TokenKind.Symbol, start, OneCharStrings[index], space, line, column);
    }
}
