namespace Dm.Sql.Lexing;

/// <summary>
/// One token: its class, where it is in the text (offset, 1-based line and column) and, for keywords
/// and symbols, a shared canonical upper-case string so the parser compares without allocating.
/// </summary>
public readonly record struct Token(
    TokenKind Kind,
    int Start,
    int Length,
    int Line,
    int Column,
    string? Canonical,
    bool SpaceBefore)
{
    public int End => Start + Length;

    public ReadOnlySpan<char> Span(string source) => source.AsSpan(Start, Length);

    public string Text(string source) => source.Substring(Start, Length);

    /// <summary>True for a word equal (case-insensitively) to <paramref name="upper"/>, which must be upper case.</summary>
    public bool IsWord(string upper, string source) =>
        Kind == TokenKind.Word && (Canonical != null
            ? (object)Canonical == upper || Canonical == upper
            : Length == upper.Length && source.AsSpan(Start, Length).Equals(upper, StringComparison.OrdinalIgnoreCase));

    public bool IsSymbol(string symbol) =>
        Kind == TokenKind.Symbol && ((object?)Canonical == symbol || Canonical == symbol);
}
