namespace Dm.Sql.Expressions;

/// <summary>
/// A scalar SQL expression as DM's expression filters write them (task.yaml <c>insert-value-expr</c> and the like): literals,
/// column references, operators, predicates (IN, BETWEEN, LIKE, REGEXP, IS) and calls of the functions <see cref="SqlFunctions"/>
/// knows. Built by <see cref="ExpressionParser"/>, evaluated over a row by <see cref="RowPredicate"/>.
/// </summary>
public abstract record ValueExpression;

/// <summary>A constant: NULL, a number, a string (or a temporal literal, kept as its text).</summary>
public sealed record LiteralExpression(SqlValue Value) : ValueExpression;

/// <summary>A column of the row, by name (a qualifier, if written, is dropped: the row is of one table).</summary>
public sealed record ColumnExpression(string Name) : ValueExpression;

/// <summary>A column bound to its place in the row and its comparison rule (case-insensitive for a _ci collation).</summary>
public sealed record BoundColumnExpression(string Name, int Ordinal, bool CaseInsensitive) : ValueExpression;

/// <summary>-x, +x, NOT x (and !x), ~x.</summary>
public sealed record UnaryExpression(string Operator, ValueExpression Operand) : ValueExpression;

/// <summary>Arithmetic (+ - * / DIV % MOD), comparison (= &lt;=&gt; &lt;&gt; != &lt; &lt;= &gt; &gt;=) and logic (AND OR XOR).</summary>
public sealed record BinaryExpression(string Operator, ValueExpression Left, ValueExpression Right) : ValueExpression;

/// <summary>x [NOT] IN (a, b, ...).</summary>
public sealed record InExpression(ValueExpression Operand, IReadOnlyList<ValueExpression> Values, bool Not) : ValueExpression;

/// <summary>x [NOT] BETWEEN low AND high.</summary>
public sealed record BetweenExpression(ValueExpression Operand, ValueExpression Low, ValueExpression High, bool Not) : ValueExpression;

/// <summary>x [NOT] LIKE pattern [ESCAPE 'c'], or x [NOT] REGEXP pattern.</summary>
public sealed record MatchExpression(ValueExpression Operand, ValueExpression Pattern, bool Regexp, char Escape, bool Not) : ValueExpression;

/// <summary>x IS [NOT] NULL / TRUE / FALSE / UNKNOWN.</summary>
public sealed record IsExpression(ValueExpression Operand, string What, bool Not) : ValueExpression;

/// <summary>A call of a function <see cref="SqlFunctions"/> knows (its name upper case).</summary>
public sealed record FunctionExpression(string Name, IReadOnlyList<ValueExpression> Arguments) : ValueExpression;
