namespace Dm.Core.Upstream;

/// <summary>
/// The one place identifiers are put into SQL text. Values never are: they go as command parameters.
/// </summary>
public static class Quote
{
    /// <summary>Backtick-quotes a schema/table/column name, doubling any backtick inside it.</summary>
    public static string Identifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";
    }

    /// <summary><c>`schema`.`table`</c>.</summary>
    public static string Table(string schema, string table) => Identifier(schema) + "." + Identifier(table);
}
