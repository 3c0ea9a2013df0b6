namespace Dm.Sql.Ast;

/// <summary>
/// A query (view body, CREATE TABLE ... SELECT) kept as canonical text, with the places in that text
/// where tables are named (FROM / JOIN / comma lists), so routing can rename them.
/// </summary>
public sealed record SqlQuery(string Text, SqlList<TableReference> Tables)
{
    public override string ToString() => Text;
}

/// <summary>A table named in a query: its character range in <see cref="SqlQuery.Text"/> and its name.</summary>
public sealed record TableReference(int Start, int Length, TableName Name);
