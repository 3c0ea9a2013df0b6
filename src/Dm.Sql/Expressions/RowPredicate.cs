using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Dm.Sql.Expressions;

/// <summary>
/// An expression bound to the columns of one table and evaluated over its rows (the values as Sync reads them, in column
/// order): <see cref="Matches"/> is true only when the expression is TRUE, not FALSE or NULL, as a WHERE clause decides.
/// </summary>
public sealed class RowPredicate
{
    private static readonly ConcurrentDictionary<(string Pattern, bool Regexp, char Escape, bool CaseInsensitive), Regex> Patterns = new();

    private readonly ValueExpression _expression;

    private RowPredicate(ValueExpression expression) => _expression = expression;

    /// <summary>Binds <paramref name="expression"/> to a table's columns: name → (ordinal, compares case-insensitively); unknown names throw.</summary>
    public static RowPredicate Bind(ValueExpression expression, Func<string, (int Ordinal, bool CaseInsensitive)?> columns) =>
        new(BindNode(expression, columns));

    public bool Matches(IReadOnlyList<object?> row) => Evaluate(_expression, row).AsBool() == true;

    /// <summary>The expression's value over <paramref name="row"/>.</summary>
    public SqlValue Evaluate(IReadOnlyList<object?> row) => Evaluate(_expression, row);

    private static ValueExpression BindNode(ValueExpression e, Func<string, (int Ordinal, bool CaseInsensitive)?> columns) => e switch
    {
        ColumnExpression c => columns(c.Name) is { } bound ? new BoundColumnExpression(c.Name, bound.Ordinal, bound.CaseInsensitive)
            : throw new ExpressionException($"Unknown column '{c.Name}' in 'expression'"),
        UnaryExpression u => u with { Operand = BindNode(u.Operand, columns) },
        BinaryExpression b => b with { Left = BindNode(b.Left, columns), Right = BindNode(b.Right, columns) },
        InExpression i => i with { Operand = BindNode(i.Operand, columns), Values = i.Values.Select(v => BindNode(v, columns)).ToList() },
        BetweenExpression b => b with { Operand = BindNode(b.Operand, columns), Low = BindNode(b.Low, columns), High = BindNode(b.High, columns) },
        MatchExpression m => m with { Operand = BindNode(m.Operand, columns), Pattern = BindNode(m.Pattern, columns) },
        IsExpression i => i with { Operand = BindNode(i.Operand, columns) },
        FunctionExpression f => f with { Arguments = f.Arguments.Select(a => BindNode(a, columns)).ToList() },
        _ => e,
    };

    private static SqlValue Evaluate(ValueExpression e, IReadOnlyList<object?> row)
    {
        switch (e)
        {
            case LiteralExpression l: return l.Value;
            case BoundColumnExpression c: return c.Ordinal < row.Count ? SqlValue.FromObject(row[c.Ordinal]) : SqlValue.Null;
            case ColumnExpression c: throw new ExpressionException($"column '{c.Name}' is not bound");
            case UnaryExpression u:
            {
                var v = Evaluate(u.Operand, row);
                return u.Operator switch
                {
                    "NOT" => SqlValue.Of(v.AsBool() is { } b ? !b : null),
                    "-" => v.IsNull ? v : ExpressionOperators.Arithmetic("-", SqlValue.Of(0), v),
                    "~" => v.IsNull ? v : SqlValue.Of(~v.AsInteger()),
                    _ => v,
                };
            }
            case BinaryExpression b:
                return Binary(b, row);
            case InExpression i:
            {
                var v = Evaluate(i.Operand, row);
                if (v.IsNull) return SqlValue.Null;
                var ci = CaseInsensitive(i.Operand);
                var sawNull = false;
                foreach (var item in i.Values)
                {
                    var c = SqlValue.Compare(v, Evaluate(item, row), ci || CaseInsensitive(item));
                    if (c == 0) return SqlValue.Of(!i.Not);
                    sawNull |= c is null;
                }
                return sawNull ? SqlValue.Null : SqlValue.Of(i.Not);
            }
            case BetweenExpression b:
            {
                var v = Evaluate(b.Operand, row);
                var ci = CaseInsensitive(b.Operand);
                var low = SqlValue.Compare(v, Evaluate(b.Low, row), ci);
                var high = SqlValue.Compare(v, Evaluate(b.High, row), ci);
                bool? inside = low is null || high is null ? (low is < 0 || high is > 0 ? false : null) : low >= 0 && high <= 0;
                return SqlValue.Of(inside is { } x ? x != b.Not : null);
            }
            case MatchExpression m:
            {
                var v = Evaluate(m.Operand, row);
                var p = Evaluate(m.Pattern, row);
                if (v.IsNull || p.IsNull) return SqlValue.Null;
                var regex = Patterns.GetOrAdd((p.AsText(), m.Regexp, m.Escape, CaseInsensitive(m.Operand) || m.Operand is not BoundColumnExpression), Compile);
                return SqlValue.Of(regex.IsMatch(v.AsText()) != m.Not);
            }
            case IsExpression i:
            {
                var v = Evaluate(i.Operand, row);
                var holds = i.What switch
                {
                    "NULL" or "UNKNOWN" => v.IsNull,
                    "TRUE" => v.AsBool() == true,
                    _ => v.AsBool() == false,
                };
                return SqlValue.Of(holds != i.Not);
            }
            case FunctionExpression f:
                return SqlFunctions.Call(f.Name, f.Arguments.Select(a => Evaluate(a, row)).ToArray());
            default:
                throw new ExpressionException($"cannot evaluate {e}");
        }
    }

    private static SqlValue Binary(BinaryExpression b, IReadOnlyList<object?> row)
    {
        switch (b.Operator)
        {
            case "AND":
            {
                var left = Evaluate(b.Left, row).AsBool();
                if (left == false) return SqlValue.False;
                var right = Evaluate(b.Right, row).AsBool();
                return right == false ? SqlValue.False : left is null || right is null ? SqlValue.Null : SqlValue.True;
            }
            case "OR":
            {
                var left = Evaluate(b.Left, row).AsBool();
                if (left == true) return SqlValue.True;
                var right = Evaluate(b.Right, row).AsBool();
                return right == true ? SqlValue.True : left is null || right is null ? SqlValue.Null : SqlValue.False;
            }
            case "XOR":
            {
                var (left, right) = (Evaluate(b.Left, row).AsBool(), Evaluate(b.Right, row).AsBool());
                return left is null || right is null ? SqlValue.Null : SqlValue.Of(left != right);
            }
        }
        var l = Evaluate(b.Left, row);
        var r = Evaluate(b.Right, row);
        var ci = CaseInsensitive(b.Left) || CaseInsensitive(b.Right);
        return b.Operator switch
        {
            "+" or "-" or "*" or "/" or "DIV" or "%" => ExpressionOperators.Arithmetic(b.Operator, l, r),
            "<=>" => SqlValue.Of(l.IsNull || r.IsNull ? l.IsNull && r.IsNull : SqlValue.Compare(l, r, ci) == 0),
            _ => ExpressionOperators.Comparison(b.Operator, SqlValue.Compare(l, r, ci)),
        };
    }

    /// <summary>Whether a comparison with this operand ignores case: a column of a case-insensitive collation.</summary>
    private static bool CaseInsensitive(ValueExpression e) => e is BoundColumnExpression { CaseInsensitive: true };

    private static Regex Compile((string Pattern, bool Regexp, char Escape, bool CaseInsensitive) key)
    {
        var options = RegexOptions.CultureInvariant | RegexOptions.Singleline | (key.CaseInsensitive ? RegexOptions.IgnoreCase : 0);
        if (key.Regexp) return new Regex(key.Pattern, options, TimeSpan.FromSeconds(1));
        var sb = new StringBuilder("^");
        for (var i = 0; i < key.Pattern.Length; i++)
        {
            var c = key.Pattern[i];
            if (c == key.Escape && i + 1 < key.Pattern.Length) sb.Append(Regex.Escape(key.Pattern[++i].ToString()));
            else if (c == '%') sb.Append(".*");
            else if (c == '_') sb.Append('.');
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return new Regex(sb.Append("$").ToString(), options, TimeSpan.FromSeconds(1));
    }
}
