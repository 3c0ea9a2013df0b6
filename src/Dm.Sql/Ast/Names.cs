namespace Dm.Sql.Ast;

/// <summary>A table (or view, or sequence) name, optionally qualified by its schema.</summary>
public sealed record TableName(string? Schema, string Name)
{
    public override string ToString() => Schema is null ? Name : Schema + "." + Name;
}

/// <summary>
/// An expression kept as canonical token text: identifiers, literals and operators re-joined with
/// one rule for spacing, so printing and re-parsing it gives the same text.
/// </summary>
public sealed record SqlExpression(string Text)
{
    public override string ToString() => Text;
}

/// <summary>A table option such as ENGINE=InnoDB or COMMENT='x'; <see cref="IsString"/> values print quoted.</summary>
public sealed record TableOption(string Name, string Value, bool IsString, SqlList<TableName>? Tables = null);
