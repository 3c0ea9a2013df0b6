using System.Text;
using Dm.Core.Upstream;
using Dm.Sql.Printing;
using Dm.Worker.Units;

namespace Dm.Worker.Load;

/// <summary>
/// Adds extend columns to an INSERT body of the dump (<c>`db`.`t` (cols) VALUES (...),(...)</c>, every value a literal: a
/// quoted string, X'hex', a number or NULL): the column names to the column list and the values to each row.
/// </summary>
internal static class ExtendedInsertRows
{
    public static string Append(string body, ExtendedColumns.Extension extension)
    {
        var columnsEnd = body.IndexOf(") VALUES ", StringComparison.Ordinal);
        if (columnsEnd < 0) throw new InvalidDataException($"not an INSERT body of the dump: {body[..Math.Min(100, body.Length)]}");
        var extraValues = new StringBuilder();
        foreach (var value in extension.Values) Quoting.AppendStringLiteral(extraValues.Append(','), value);
        var extra = extraValues.ToString();
        var sb = new StringBuilder(body.Length + (extra.Length + 2) * 64);
        sb.Append(body, 0, columnsEnd);
        foreach (var column in extension.Columns) sb.Append(',').Append(Quote.Identifier(column));
        var inString = false;
        for (var i = columnsEnd; i < body.Length; i++)
        {
            var c = body[i];
            if (inString)
            {
                if (c == '\\') { sb.Append(c).Append(body[++i]); continue; }
                if (c == '\'')
                {
                    if (i + 1 < body.Length && body[i + 1] == '\'') { sb.Append("''"); i++; continue; }
                    inString = false;
                }
            }
            else if (c == '\'') inString = true;
            else if (c == ')' && i > columnsEnd) sb.Append(extra); // the end of a row (values hold no parentheses)
            sb.Append(c);
        }
        return sb.ToString();
    }
}
