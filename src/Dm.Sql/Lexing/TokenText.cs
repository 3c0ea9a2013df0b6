using System.Text;

namespace Dm.Sql.Lexing;

/// <summary>The values behind identifier and string tokens (quotes removed, escapes resolved).</summary>
public static class TokenText
{
    /// <summary>An identifier's name: the word itself, or the quoted text with doubled quotes collapsed.</summary>
    public static string Identifier(in Token token, string source)
    {
        if (token.Kind != TokenKind.QuotedIdentifier) return token.Text(source);
        var quote = source[token.Start];
        var inner = source.AsSpan(token.Start + 1, token.Length - 2);
        if (inner.IndexOf(quote) < 0) return inner.ToString();
        return inner.ToString().Replace(new string(quote, 2), quote.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A string literal's value (N'..' prefix dropped).</summary>
    public static string String(in Token token, string source, bool noBackslashEscapes = false)
    {
        var start = token.Start;
        var length = token.Length;
        if (source[start] is 'n' or 'N') { start++; length--; }
        var quote = source[start];
        var inner = source.AsSpan(start + 1, length - 2);
        if (inner.IndexOf('\\') < 0 && inner.IndexOf(quote) < 0) return inner.ToString();
        var sb = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            var c = inner[i];
            if (c == quote && i + 1 < inner.Length && inner[i + 1] == quote) { sb.Append(quote); i++; continue; }
            if (c == '\\' && !noBackslashEscapes && i + 1 < inner.Length)
            {
                var e = inner[++i];
                switch (e)
                {
                    case '0': sb.Append('\0'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'Z': sb.Append('\x1a'); break;
                    case '%': sb.Append("\\%"); break;
                    case '_': sb.Append("\\_"); break;
                    default: sb.Append(e); break;
                }
                continue;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
