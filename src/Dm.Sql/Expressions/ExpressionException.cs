namespace Dm.Sql.Expressions;

/// <summary>An expression that cannot be used: a column the table does not have, or a value a function cannot take.</summary>
public sealed class ExpressionException(string message) : Exception(message);
