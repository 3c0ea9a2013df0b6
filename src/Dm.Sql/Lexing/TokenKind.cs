namespace Dm.Sql.Lexing;

/// <summary>The lexical classes of MySQL/MariaDB SQL text.</summary>
public enum TokenKind : byte
{
    End,
    /// <summary>An unquoted word: a keyword or an identifier.</summary>
    Word,
    /// <summary>A backtick-quoted identifier (or double-quoted under ANSI_QUOTES).</summary>
    QuotedIdentifier,
    /// <summary>A single- or double-quoted string literal, possibly N'...'.</summary>
    String,
    Number,
    /// <summary>X'..' or 0x.. literal.</summary>
    Hex,
    /// <summary>B'..' or 0b.. literal.</summary>
    Bit,
    /// <summary>@name or @'name' user variable.</summary>
    UserVariable,
    /// <summary>@@name or @@global.name system variable.</summary>
    SystemVariable,
    /// <summary>Operators and punctuation: ( ) , ; . = &lt;= etc.</summary>
    Symbol,
    /// <summary>A ? parameter placeholder.</summary>
    Placeholder,
}
