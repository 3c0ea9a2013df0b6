using Dm.Sql.Ast;
using Dm.Sql.Parsing;

namespace Dm.Sql.Tests;

/// <summary>Bad SQL gives the parser's own error with line, column and the unexpected token; unknown statements are "unsupported".</summary>
public sealed class ParseErrorTests
{
    [Theory]
    [InlineData("CREATE TABLE t (id INT,)", 1, 24, ")")]
    [InlineData("CREATE TABLE t (id INTT)", 1, 20, "INTT")]
    [InlineData("ALTER TABLE t ADD COLUMN", 1, 25, "end of input")]
    [InlineData("CREATE TABLE t (\n  id INT,\n  name VARCHAR(10) NOT NUL\n)", 3, 24, "NUL")]
    [InlineData("DROP TABLE", 1, 11, "end of input")]
    [InlineData("CREATE TABLE t (a INT) ENGINE=InnoDB garbage", 1, 38, "garbage")]
    [InlineData("ALTER TABLE t RENAME COLUMN a b", 1, 31, "b")]
    [InlineData("CREATE INDEX i ON t", 1, 20, "end of input")]
    [InlineData("RENAME TABLE a b", 1, 16, "b")]
    [InlineData("CREATE TABLE t (a ENUM())", 1, 24, ")")]
    [InlineData("CREATE TABLE t (a INT DEFAULT)", 1, 30, ")")]
    [InlineData("CREATE TABLE select (a INT)", 1, 14, "select")]
    public void SyntaxErrorNamesLineColumnAndToken(string sql, int line, int column, string token)
    {
        var e = Assert.Throws<SqlParseException>(() => SqlParser.Parse(sql));
        Assert.Equal(SqlErrorKind.Syntax, e.Kind);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Equal(token, e.Token);
        Assert.Contains($"line {line}, column {column}", e.Message);
    }

    [Theory]
    [InlineData("CREATE TABLE t (a VARCHAR(10) DEFAULT 'abc)", "unterminated string", 1, 39)]
    [InlineData("CREATE TABLE `t (a INT)", "unterminated quoted identifier", 1, 14)]
    [InlineData("SELECT 1 /* never closed", "unterminated comment", 1, 10)]
    public void LexicalErrorsArePositioned(string sql, string reason, int line, int column)
    {
        var e = Assert.Throws<SqlParseException>(() => SqlParser.Parse(sql));
        Assert.Contains(reason, e.Reason);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
    }

    [Theory]
    [InlineData("FROBNICATE TABLE t")]
    [InlineData("CREATE WIDGET w")]
    [InlineData("ALTER WIDGET w")]
    [InlineData("DROP WIDGET w")]
    public void UnknownStatementIsUnsupportedNotDropped(string sql)
    {
        var e = Assert.Throws<SqlParseException>(() => SqlParser.Parse(sql));
        Assert.Equal(SqlErrorKind.Unsupported, e.Kind);
        Assert.Equal(1, e.Line);
    }

    [Fact]
    public void ErrorInSecondStatementPointsIntoIt()
    {
        var e = Assert.Throws<SqlParseException>(() => SqlParser.ParseAll("CREATE TABLE a (x INT);\nCREATE TABLE b (x INT,,)"));
        Assert.Equal(2, e.Line);
        Assert.Equal(23, e.Column);
        Assert.Equal(",", e.Token);
    }

    /// <summary>Every prefix of every corpus statement either parses or fails with SqlParseException — nothing else escapes.</summary>
    [Fact]
    public void TruncatedCorpusStatementsOnlyRaiseParseErrors()
    {
        var checkedPrefixes = 0;
        var errors = 0;
        foreach (var file in CorpusFiles.All())
        {
            foreach (var sql in CorpusFiles.Statements(file))
            {
                for (var cut = 1; cut < sql.Length; cut += Math.Max(1, sql.Length / 25))
                {
                    checkedPrefixes++;
                    try
                    {
                        SqlParser.ParseAll(sql[..cut]);
                    }
                    catch (SqlParseException e)
                    {
                        errors++;
                        Assert.True(e.Line >= 1 && e.Column >= 1, e.Message);
                        Assert.False(e.Reason.StartsWith("internal parser error", StringComparison.Ordinal), $"{sql[..cut]} => {e.Message}");
                    }
                }
            }
        }
        Assert.True(checkedPrefixes > 10000, $"{checkedPrefixes} prefixes");
        Assert.True(errors > checkedPrefixes / 2, $"only {errors} of {checkedPrefixes} truncated statements failed");
    }

    [Fact]
    public void SplitKeepsRoutineBodiesWhole()
    {
        var parts = SqlParser.SplitStatements("CREATE TABLE a (x INT); CREATE PROCEDURE p() BEGIN SELECT 1; IF 1 THEN SELECT 2; END IF; END; DROP TABLE a");
        Assert.Equal(3, parts.Count);
        Assert.EndsWith("END IF; END", parts[1]);
        var wrapped = SqlParser.ParseAll("/*!40101 SET NAMES utf8 */; /* c */ COMMIT");
        Assert.Equal(["/*!40101 SET NAMES utf8 */", "/* c */ COMMIT"], wrapped.Select(s => ((PassThroughStatement)s).Text).ToArray());
        var statements = SqlParser.ParseAll("BEGIN; INSERT INTO t VALUES (1); COMMIT");
        Assert.Equal([PassThroughKind.Transaction, PassThroughKind.Dml, PassThroughKind.Transaction],
            statements.Select(s => ((PassThroughStatement)s).Kind).ToArray());
    }
}

/// <summary>Corpus statements with tokens dropped, duplicated or swapped (fixed seed): the parser answers or raises its own error.</summary>
public sealed class ParserMutationTests
{
    [Fact]
    public void MutatedStatementsNeverCrashTheParser()
    {
        var random = new Random(20261123);
        var statements = CorpusFiles.All().SelectMany(CorpusFiles.Statements).ToArray();
        var vocabulary = statements.SelectMany(s => Lexing.Lexer.Tokenize(s)).Where(t => t.Kind != Lexing.TokenKind.End)
            .Select(t => t.Kind).Distinct().Count();
        Assert.True(vocabulary > 5);
        var pieces = new List<string>();
        foreach (var sql in statements)
        {
            var tokens = Lexing.Lexer.Tokenize(sql).Where(t => t.Kind != Lexing.TokenKind.End).Select(t => t.Text(sql)).ToList();
            if (tokens.Count > 0) pieces.AddRange(tokens);
        }
        var attempts = 0;
        foreach (var sql in statements)
        {
            var tokens = Lexing.Lexer.Tokenize(sql).Where(t => t.Kind != Lexing.TokenKind.End).Select(t => t.Text(sql)).ToList();
            for (var round = 0; round < 8 && tokens.Count > 1; round++)
            {
                var mutated = new List<string>(tokens);
                var at = random.Next(mutated.Count);
                switch (random.Next(3))
                {
                    case 0: mutated.RemoveAt(at); break;
                    case 1: mutated.Insert(at, mutated[random.Next(mutated.Count)]); break;
                    default: mutated[at] = pieces[random.Next(pieces.Count)]; break;
                }
                var text = string.Join(" ", mutated);
                attempts++;
                try
                {
                    var parsed = Parsing.SqlParser.ParseAll(text);
                    foreach (var statement in parsed) Printing.SqlPrinter.Print(statement);
                }
                catch (SqlParseException e)
                {
                    Assert.False(e.Reason.StartsWith("internal parser error", StringComparison.Ordinal), $"{text}\n=> {e.Message}");
                }
            }
        }
        Assert.True(attempts > 5000, $"{attempts} attempts");
    }
}
