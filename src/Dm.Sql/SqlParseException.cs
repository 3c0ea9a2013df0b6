namespace Dm.Sql;

/// <summary>Why a statement could not be turned into an AST.</summary>
public enum SqlErrorKind
{
    /// <summary>The text is not valid SQL where it stands.</summary>
    Syntax,
    /// <summary>The statement may be valid SQL but this parser does not know it; it must not be dropped silently.</summary>
    Unsupported,
}

/// <summary>
/// The one error the lexer and parser raise: what went wrong, with 1-based line and column and the
/// text of the offending token ("end of input" at the end).
/// </summary>
public sealed class SqlParseException : Exception
{
    public SqlParseException(SqlErrorKind kind, string reason, int line, int column, string token)
        : base($"{(kind == SqlErrorKind.Unsupported ? "unsupported statement" : "syntax error")} at line {line}, column {column} near '{token}': {reason}")
    {
        Kind = kind;
        Reason = reason;
        Line = line;
        Column = column;
        Token = token;
    }

    public SqlErrorKind Kind { get; }
    public string Reason { get; }
    public int Line { get; }
    public int Column { get; }
    /// <summary>The unexpected token's text, or "end of input".</summary>
    public string Token { get; }
}
