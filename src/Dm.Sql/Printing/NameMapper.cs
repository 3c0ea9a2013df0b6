using Dm.Sql.Ast;

namespace Dm.Sql.Printing;

/// <summary>
/// The rename hook of the printer: every table name (including FK references, LIKE, UNION, EXCHANGE
/// and RENAME targets) and every database name of a statement is passed through it. An unqualified
/// table name arrives with a null schema; the mapper may qualify it.
/// </summary>
public sealed class NameMapper(Func<TableName, TableName> table, Func<string, string> schema)
{
    public static readonly NameMapper Identity = new(t => t, s => s);

    public TableName MapTable(TableName name) => table(name);

    public string MapSchema(string name) => schema(name);
}
