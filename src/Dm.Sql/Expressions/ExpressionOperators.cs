namespace Dm.Sql.Expressions;

/// <summary>MySQL's arithmetic on <see cref="SqlValue"/>s: integers stay integers (DECIMAL past 64 bits), any DOUBLE or string
/// operand makes a DOUBLE, '/' is DECIMAL division, and division or modulo by zero is NULL.</summary>
public static class ExpressionOperators
{
    public static SqlValue Arithmetic(string op, SqlValue a, SqlValue b)
    {
        if (a.IsNull || b.IsNull) return SqlValue.Null;
        var exact = a.Kind is SqlValueKind.Integer or SqlValueKind.Decimal && b.Kind is SqlValueKind.Integer or SqlValueKind.Decimal;
        if (op is "DIV")
        {
            var divisor = b.AsDouble();
            return divisor == 0 ? SqlValue.Null : exact && b.AsDecimal() is { } db && a.AsDecimal() is { } da
                ? SqlValue.Of((long)decimal.Truncate(da / db)) : SqlValue.Of((long)Math.Truncate(a.AsDouble() / divisor));
        }
        if (op is "/")
        {
            if (b.AsDouble() == 0) return SqlValue.Null;
            return exact ? SqlValue.Of(Math.Round(a.AsDecimal()!.Value / b.AsDecimal()!.Value, 4 + Scale(a), MidpointRounding.AwayFromZero))
                : SqlValue.Of(a.AsDouble() / b.AsDouble());
        }
        if (exact && a.Kind == SqlValueKind.Integer && b.Kind == SqlValueKind.Integer)
        {
            try
            {
                return op switch
                {
                    "+" => SqlValue.Of(checked(a.Integer + b.Integer)),
                    "-" => SqlValue.Of(checked(a.Integer - b.Integer)),
                    "*" => SqlValue.Of(checked(a.Integer * b.Integer)),
                    _ => b.Integer == 0 ? SqlValue.Null : SqlValue.Of(a.Integer % b.Integer),
                };
            }
            catch (OverflowException)
            {
                // wider than 64 bits: DECIMAL below
            }
        }
        if (exact)
        {
            var (x, y) = (a.AsDecimal()!.Value, b.AsDecimal()!.Value);
            try
            {
                return op switch
                {
                    "+" => SqlValue.Of(x + y),
                    "-" => SqlValue.Of(x - y),
                    "*" => SqlValue.Of(x * y),
                    _ => y == 0 ? SqlValue.Null : SqlValue.Of(x % y),
                };
            }
            catch (OverflowException)
            {
                // out of DECIMAL's range: DOUBLE below
            }
        }
        var (p, q) = (a.AsDouble(), b.AsDouble());
        return op switch
        {
            "+" => SqlValue.Of(p + q),
            "-" => SqlValue.Of(p - q),
            "*" => SqlValue.Of(p * q),
            _ => q == 0 ? SqlValue.Null : SqlValue.Of(p % q), // fmod: the dividend's sign, as MySQL
        };
    }

    /// <summary>A comparison operator applied to the result of <see cref="SqlValue.Compare"/> (<c>&lt;=&gt;</c> handled by the caller).</summary>
    public static SqlValue Comparison(string op, int? comparison) => comparison is not { } c ? SqlValue.Null : SqlValue.Of(op switch
    {
        "=" => c == 0,
        "<>" or "!=" => c != 0,
        "<" => c < 0,
        "<=" => c <= 0,
        ">" => c > 0,
        _ => c >= 0,
    });

    private static int Scale(SqlValue v) => v.Kind == SqlValueKind.Decimal ? (int)((decimal.GetBits(v.Decimal)[3] >> 16) & 0xFF) : 0;
}
