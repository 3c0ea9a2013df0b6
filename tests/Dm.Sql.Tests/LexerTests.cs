using Dm.Sql.Ast;
using Dm.Sql.Lexing;
using Dm.Sql.Parsing;
using Dm.Sql.Printing;

namespace Dm.Sql.Tests;

public sealed class LexerTests
{
    private static List<(TokenKind Kind, string Text)> Tokens(string sql, LexerOptions? options = null) =>
        Lexer.Tokenize(sql, options).Where(t => t.Kind != TokenKind.End).Select(t => (t.Kind, t.Text(sql))).ToList();

    [Fact]
    public void ClassifiesLiteralsAndVariables()
    {
        var tokens = Tokens("x'ff' 0xFF b'101' 0b11 N'n' _utf8mb4'u' 1.5e-3 .5 @v @'q v' @@global.x ? `a``b` \"s\"");
        Assert.Equal(
        [
            (TokenKind.Hex, "x'ff'"), (TokenKind.Hex, "0xFF"), (TokenKind.Bit, "b'101'"), (TokenKind.Bit, "0b11"),
            (TokenKind.String, "N'n'"), (TokenKind.Word, "_utf8mb4"), (TokenKind.String, "'u'"), (TokenKind.Number, "1.5e-3"),
            (TokenKind.Number, ".5"), (TokenKind.UserVariable, "@v"), (TokenKind.UserVariable, "@'q v'"),
            (TokenKind.SystemVariable, "@@global.x"), (TokenKind.Placeholder, "?"), (TokenKind.QuotedIdentifier, "`a``b`"),
            (TokenKind.String, "\"s\""),
        ], tokens);
    }

    [Fact]
    public void AnsiQuotesMakesDoubleQuotesIdentifiers()
    {
        var options = new LexerOptions { AnsiQuotes = true };
        var statement = (CreateTableStatement)SqlParser.Parse("CREATE TABLE \"my table\" (\"col\" INT)", options);
        Assert.Equal("my table", statement.Table.Name);
        Assert.Equal("CREATE TABLE `my table` (`col` INT)", SqlPrinter.Print(statement));
    }

    [Fact]
    public void ExecutableCommentsAreLexedAsSqlAndPlainCommentsSkipped()
    {
        var tokens = Tokens("CREATE /*!32302 TEMPORARY */ TABLE /* no */ t /*M!100100 (a INT) */ -- tail\n# hash\n");
        Assert.Equal(["CREATE", "TEMPORARY", "TABLE", "t", "(", "a", "INT", ")"], tokens.Select(t => t.Text).ToArray());
    }

    [Fact]
    public void StringEscapesDecode()
    {
        var statement = (CreateTableStatement)SqlParser.Parse(@"CREATE TABLE t (a INT COMMENT 'it''s \'q\' \n\t\\ \% \Z end')");
        var comment = ((ColumnDefinition)statement.Elements[0]).Comment;
        Assert.Equal("it's 'q' \n\t\\ \\% \x1a end", comment);
        var printed = SqlPrinter.Print(statement);
        Assert.Equal(comment, ((ColumnDefinition)((CreateTableStatement)SqlParser.Parse(printed)).Elements[0]).Comment);
    }

    [Fact]
    public void PositionsAreLineAndColumn()
    {
        var tokens = Lexer.Tokenize("a\n  bc\r\n\tdef");
        Assert.Equal((1, 1), (tokens[0].Line, tokens[0].Column));
        Assert.Equal((2, 3), (tokens[1].Line, tokens[1].Column));
        Assert.Equal((3, 2), (tokens[2].Line, tokens[2].Column));
    }

    [Fact]
    public void QuotingDoublesBackticksAndEscapesStrings()
    {
        Assert.Equal("`a``b`", Quoting.Identifier("a`b"));
        Assert.Equal("`db`.`t`", Quoting.Table("db", "t"));
        Assert.Equal(@"'it''s \\ \0 \n'", Quoting.StringLiteral("it's \\ \0 \n"));
    }

    [Fact]
    public void ParsesEncodedBytesInTheGivenCharset()
    {
        var latin1 = System.Text.Encoding.Latin1;
        var statement = (CreateTableStatement)Assert.Single(SqlParser.ParseAll(latin1.GetBytes("CREATE TABLE t (a INT COMMENT 'caf\u00e9')"), latin1));
        Assert.Equal("caf\u00e9", ((ColumnDefinition)statement.Elements[0]).Comment);
        var utf8 = (CreateTableStatement)Assert.Single(SqlParser.ParseAll("CREATE TABLE `\u00fc` (a INT)"u8));
        Assert.Equal("\u00fc", utf8.Table.Name);
    }
}
