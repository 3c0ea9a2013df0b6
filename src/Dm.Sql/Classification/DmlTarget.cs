using Dm.Sql.Ast;
using Dm.Sql.Lexing;

namespace Dm.Sql.Classification;

/// <summary>
/// The table a DML statement text writes to (INSERT/REPLACE ... INTO t, UPDATE t, DELETE FROM t, LOAD DATA ... INTO TABLE t;
/// the first one of a multi-table UPDATE or DELETE), as DM looks at a DML statement met in a query event: to tell whether
/// the task replicates that table at all.
/// </summary>
public static class DmlTarget
{
    private static readonly HashSet<string> Modifiers = new(StringComparer.OrdinalIgnoreCase)
    {
        "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "QUICK", "INTO", "FROM", "CONCURRENT", "LOCAL", "TABLE",
    };

    /// <returns>The table (schema null when unqualified), or null when the text names none (CALL, DO, or text not understood).</returns>
    public static TableName? Of(PassThroughStatement statement, LexerOptions? options = null) =>
        statement.Kind == PassThroughKind.Dml ? Of(statement.Text, options) : null;

    /// <summary>The table of a DML statement's text (DmlBuilder's statements too).</summary>
    public static TableName? Of(string text, LexerOptions? options = null)
    {
        List<Token> tokens;
        try
        {
            tokens = Lexer.Tokenize(text, options);
        }
        catch (SqlParseException)
        {
            return null;
        }
        if (tokens.Count == 0 || tokens[0].Kind != TokenKind.Word) return null;
        var i = 1;
        if (tokens[0].IsWord("LOAD", text))
        {
            // LOAD DATA|XML ... INFILE 'f' ... INTO TABLE t
            while (i < tokens.Count && !tokens[i].IsWord("TABLE", text)) i++;
            i++;
        }
        else if (!(tokens[0].IsWord("INSERT", text) || tokens[0].IsWord("REPLACE", text) || tokens[0].IsWord("UPDATE", text) ||
                   tokens[0].IsWord("DELETE", text)))
            return null;
        while (i < tokens.Count && tokens[i].Kind == TokenKind.Word && Modifiers.Contains(tokens[i].Text(text))) i++;
        if (i >= tokens.Count || tokens[i].Kind is not (TokenKind.Word or TokenKind.QuotedIdentifier)) return null;
        var first = TokenText.Identifier(tokens[i], text);
        if (i + 2 < tokens.Count && tokens[i + 1].IsSymbol(".") && tokens[i + 2].Kind is TokenKind.Word or TokenKind.QuotedIdentifier)
            return new TableName(first, TokenText.Identifier(tokens[i + 2], text));
        return new TableName(null, first);
    }
}
