namespace Dm.Sql.Lexing;

/// <summary>sql_mode flags that change how text is tokenised.</summary>
public sealed record LexerOptions
{
    public static readonly LexerOptions Default = new();

    /// <summary>ANSI_QUOTES: "x" is an identifier, not a string.</summary>
    public bool AnsiQuotes { get; init; }

    /// <summary>NO_BACKSLASH_ESCAPES: backslash is an ordinary character inside strings.</summary>
    public bool NoBackslashEscapes { get; init; }
}
