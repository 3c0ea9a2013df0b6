using Dm.Sql.Expressions;

namespace Dm.Sql.Tests.Expressions;

/// <summary>
/// DM's expression filters' expressions: parsed with MySQL's precedence, evaluated over a row with MySQL's conversions and
/// NULL logic; an unknown function is refused when parsed, an unknown column when bound.
/// </summary>
public sealed class ExpressionTests
{
    // id INT, c INT, b VARCHAR (utf8mb4_general_ci), bin VARBINARY-like (case-sensitive), d DECIMAL, dt DATETIME, n (NULL)
    private static readonly string[] Names = ["id", "c", "b", "bin", "d", "dt", "n"];
    private static readonly object?[] Row = [7L, 4L, "Müller", "Abc", 12.50m, "2021-03-04 05:06:07", null];

    private static bool? Eval(string sql, object?[]? row = null)
    {
        var predicate = RowPredicate.Bind(ExpressionParser.Parse(sql), name =>
        {
            var i = Array.FindIndex(Names, n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
            return i < 0 ? null : (i, Names[i] == "b");
        });
        return predicate.Evaluate(row ?? Row).AsBool();
    }

    [Theory]
    [InlineData("c % 2 = 0", true)]
    [InlineData("id % 2 = 0", false)]
    [InlineData("c > 100 and c < 0", false)]
    [InlineData("c > 1 AND c < 10 OR id = 0", true)]
    [InlineData("NOT c = 4", false)]
    [InlineData("!(c = 4) || id = 7", true)]
    [InlineData("c + 1 = 5 AND c * 2 = 8 AND c - 5 = -1 AND c / 8 = 0.5 AND c DIV 3 = 1 AND c MOD 3 = 1", true)]
    [InlineData("b = 'müller'", true)]
    [InlineData("bin = 'abc'", false)]
    [InlineData("bin = 'Abc'", true)]
    [InlineData("b LIKE 'm%'", true)]
    [InlineData("b NOT LIKE '_ü%'", false)]
    [InlineData("bin LIKE 'a%'", false)]
    [InlineData("b REGEXP '^M.l+er$'", true)]
    [InlineData("c IN (1, 2, 4)", true)]
    [InlineData("c NOT IN (1, 2)", true)]
    [InlineData("c BETWEEN 4 AND 5", true)]
    [InlineData("d NOT BETWEEN 12 AND 13", false)]
    [InlineData("d = 12.5", true)]
    [InlineData("d > '12.4'", true)]
    [InlineData("n IS NULL", true)]
    [InlineData("c IS NOT NULL", true)]
    [InlineData("c = 4 IS TRUE", true)]
    [InlineData("n <=> NULL", true)]
    [InlineData("dt > '2021-01-01'", true)]
    [InlineData("dt = '2021-03-04 05:06:07.000'", true)]
    [InlineData("DATE(dt) = '2021-03-04'", true)]
    [InlineData("YEAR(dt) = 2021 AND MONTH(dt) = 3 AND DAY(dt) = 4 AND HOUR(dt) = 5", true)]
    [InlineData("DATEDIFF(dt, '2021-03-01') = 3", true)]
    [InlineData("UNIX_TIMESTAMP('2021-01-01 00:00:00') = 1609459200", true)]
    [InlineData("LENGTH(b) = 7 AND CHAR_LENGTH(b) = 6", true)]
    [InlineData("CONCAT(b, '-', c) = 'Müller-4'", true)]
    [InlineData("UPPER(bin) = 'ABC' AND LOWER(bin) = 'abc'", true)]
    [InlineData("SUBSTRING(b, 2, 3) = 'üll' AND LEFT(b, 2) = 'Mü' AND RIGHT(b, 2) = 'er'", true)]
    [InlineData("IFNULL(n, 5) = 5 AND COALESCE(n, n, c) = 4 AND IF(c > 1, 'y', 'n') = 'y'", true)]
    [InlineData("ABS(-3) = 3 AND ROUND(2.5) = 3 AND FLOOR(d) = 12 AND CEIL(d) = 13", true)]
    [InlineData("TRIM('  x ') = 'x' AND REPLACE(b, 'ü', 'ue') = 'Mueller'", true)]
    public void Expressions_give_what_MySQL_gives(string sql, bool expected) => Assert.Equal(expected, Eval(sql));

    [Theory]
    [InlineData("n = 1")]
    [InlineData("n + 1 > 0")]
    [InlineData("c > 1 AND n = 1")]
    [InlineData("n IN (1, 2)")]
    [InlineData("c IN (1, n)")]
    [InlineData("n LIKE 'a%'")]
    [InlineData("c / 0 = 1")]
    public void Null_propagates_and_a_null_result_does_not_match(string sql) => Assert.Null(Eval(sql));

    [Fact]
    public void Null_logic_follows_three_valued_rules()
    {
        Assert.False(Eval("c > 100 AND n = 1"));
        Assert.True(Eval("c = 4 OR n = 1"));
        Assert.False(Eval("NOT (c = 4 OR n = 1)"));
    }

    [Theory]
    [InlineData("c = ", SqlErrorKind.Syntax)]
    [InlineData("c = 1 1", SqlErrorKind.Syntax)]
    [InlineData("(c = 1", SqlErrorKind.Syntax)]
    [InlineData("c NOT 1", SqlErrorKind.Syntax)]
    [InlineData("", SqlErrorKind.Syntax)]
    [InlineData("no_such_function(c) = 1", SqlErrorKind.Unsupported)]
    [InlineData("SLEEP(1) = 0", SqlErrorKind.Unsupported)]
    [InlineData("LENGTH(b, c) = 1", SqlErrorKind.Unsupported)]
    public void Syntax_errors_unknown_functions_and_wrong_argument_counts_are_refused_when_parsed(string sql, SqlErrorKind kind) =>
        Assert.Equal(kind, Assert.Throws<SqlParseException>(() => ExpressionParser.Parse(sql)).Kind);

    [Fact]
    public void An_unknown_column_is_refused_when_bound() =>
        Assert.Contains("Unknown column 'nope'", Assert.Throws<ExpressionException>(() => Eval("nope = 1")).Message);

    [Fact]
    public void Qualified_names_and_unsigned_and_byte_values_are_read()
    {
        Assert.True(Eval("t.c = 4 AND `db`.`t`.`c` = 4"));
        Assert.True(Eval("c > 18446744073709551614", [1L, ulong.MaxValue, "x", "y", 0m, "2021-01-01", null]));
        Assert.True(Eval("bin = 'xyz'", [1L, 1L, "x", "xyz"u8.ToArray(), 0m, "2021-01-01", null]));
    }
}
