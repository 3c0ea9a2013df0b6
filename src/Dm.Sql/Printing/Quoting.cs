using System.Text;
using Dm.Sql.Ast;

namespace Dm.Sql.Printing;

/// <summary>
/// The one place identifiers are backtick-quoted and string values are escaped, for every
/// component that writes SQL text. String escaping assumes the default sql_mode (backslash escapes on).
/// </summary>
public static class Quoting
{
    /// <summary>`name` with embedded backticks doubled.</summary>
    public static string Identifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Contains('`')) return "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";
        return string.Concat("`", name, "`");
    }

    public static void AppendIdentifier(StringBuilder sb, string name)
    {
        sb.Append('`');
        foreach (var c in name)
        {
            if (c == '`') sb.Append('`');
            sb.Append(c);
        }
        sb.Append('`');
    }

    /// <summary>`schema`.`table`, or `table` when no schema is given.</summary>
    public static string Table(string? schema, string table) =>
        schema is null ? Identifier(table) : Identifier(schema) + "." + Identifier(table);

    public static string Table(TableName name) => Table(name.Schema, name.Name);

    /// <summary>'value' with quote, backslash and control characters escaped.</summary>
    public static string StringLiteral(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        AppendStringLiteral(sb, value);
        return sb.ToString();
    }

    public static void AppendStringLiteral(StringBuilder sb, string value)
    {
        sb.Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\'': sb.Append("''"); break;
                case '\\': sb.Append("\\\\"); break;
                case '\0': sb.Append("\\0"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\x1a': sb.Append("\\Z"); break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('\'');
    }
}
