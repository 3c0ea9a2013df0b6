using System.Globalization;
using System.Text;

namespace Dm.Sql.Dml;

/// <summary>
/// A <see cref="DmlStatement"/> as plain SQL text with its values written in as literals. The syncer sends thousands of
/// statements a second; handing each value to the driver as a parameter cost a parameter object, a type lookup and
/// a boxed copy per value, for the same bytes on the wire (the text protocol inlines parameters anyway).
/// Literals read the same whatever the session's sql_mode: text is quoted with its quotes doubled, bytes travel as a
/// hex literal, numbers in invariant culture with round-trip precision (a FLOAT as its exact double value). Text with
/// backslashes or control characters, bytes over 1 KiB and values of any other type are not inlined: the caller keeps
/// parameters for that statement.
/// </summary>
public static class InlinedStatement
{
    /// <summary>The statement's SQL with every '?' placeholder replaced by its value; false if a value has no literal form here.</summary>
    public static bool TryRender(DmlStatement statement, out string sql)
    {
        var text = statement.Sql;
        var parameters = statement.Parameters;
        var sb = new StringBuilder(text.Length + parameters.Count * 12);
        var next = 0;
        var inIdentifier = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            // DmlBuilder's SQL has no string literals: a '?' is a placeholder unless it is inside a `quoted` identifier
            // (a doubled backtick inside one toggles twice, so the state stays right).
            if (c == '`') inIdentifier = !inIdentifier;
            else if (c == '?' && !inIdentifier)
            {
                if (next >= parameters.Count || !TryAppend(sb.Append(text, start, i - start), parameters[next++]))
                {
                    sql = "";
                    return false;
                }
                start = i + 1;
            }
        }
        if (next != parameters.Count) throw new ArgumentException($"{parameters.Count} values for {next} placeholders in `{text}`");
        sql = sb.Append(text, start, text.Length - start).ToString();
        return true;
    }

    private static bool TryAppend(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null or DBNull: sb.Append("NULL"); return true;
            case string s: return TryAppendText(sb, s);
            // Hex doubles the bytes: a long value would bring a multi-row statement nearer max_allowed_packet than the
            // driver's escaping does, and its cost is in moving the data anyway.
            case byte[] bytes when bytes.Length <= MaxHexBytes: AppendHex(sb.Append("X'"), bytes).Append('\''); return true;
            // Formatted in place (each is ISpanFormattable), in invariant culture.
            case long or ulong or int or uint or short or ushort or sbyte or byte: sb.Append(CultureInfo.InvariantCulture, $"{value}"); return true;
            case decimal v: sb.Append(v.ToString(CultureInfo.InvariantCulture)); return true;
            case double v when double.IsFinite(v): sb.Append(v.ToString("R", CultureInfo.InvariantCulture)); return true;
            // A float's exact value as a double: the server parses a double, and the shortest float text ("0.1") would
            // neither compare equal to the stored FLOAT in a WHERE clause nor survive strict mode at float.MaxValue.
            case float v when float.IsFinite(v): sb.Append(((double)v).ToString("R", CultureInfo.InvariantCulture)); return true;
            default: return false;
        }
    }

    private const int MaxHexBytes = 1024;

    private static bool TryAppendText(StringBuilder sb, string s)
    {
        // A backslash means different things under NO_BACKSLASH_ESCAPES, and a charset introducer before a hex literal
        // is not understood by every target (older TiDB): such text, and control characters, stay parameters.
        if (s.AsSpan().IndexOfAnyInRange('\0', (char)31) >= 0 || s.Contains('\\')) return false;
        sb.Append('\'');
        var start = 0;
        for (var i = s.IndexOf('\''); i >= 0; i = s.IndexOf('\'', start))
        {
            sb.Append(s, start, i + 1 - start).Append('\''); // a quote is doubled: the same under every sql_mode
            start = i + 1;
        }
        sb.Append(s, start, s.Length - start).Append('\'');
        return true;
    }

    private static StringBuilder AppendHex(StringBuilder sb, byte[] bytes)
    {
        const string digits = "0123456789ABCDEF";
        foreach (var b in bytes) sb.Append(digits[b >> 4]).Append(digits[b & 15]);
        return sb;
    }
}
