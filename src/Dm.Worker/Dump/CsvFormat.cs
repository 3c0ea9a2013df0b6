using Dm.Core.Errors;

namespace Dm.Worker.Dump;

/// <summary>
/// Dumpling's CSV dialect (<c>--filetype csv</c>): a header line of column names, fields separated by
/// <see cref="Separator"/> (default <c>,</c>), strings, temporals and binary values enclosed in
/// <see cref="Delimiter"/> (default <c>"</c>) with backslash escapes (<c>\\</c>, <c>\"</c>, <c>\n</c>, <c>\r</c>,
/// <c>\0</c>, <c>\Z</c>), numbers bare, NULL as a bare <c>\N</c>, lines ending in <c>\r\n</c>.
/// </summary>
public sealed record CsvFormat(string Separator, string Delimiter)
{
    public const string NullValue = "\\N";
    public const string LineTerminator = "\r\n";

    public static readonly CsvFormat Default = new(",", "\"");

    /// <summary>Rejects separators and delimiters that would make fields ambiguous to read back.</summary>
    public CsvFormat Validated()
    {
        if (Delimiter.Length != 1 || Delimiter is "\\" or "\r" or "\n")
            throw DmErrors.ErrDumpUnitRuntime.New($"--csv-delimiter '{Delimiter}' must be one character other than backslash and line breaks");
        // A bare number or \N must never contain the separator.
        if (Separator.Length == 0 || Separator.Contains(Delimiter, StringComparison.Ordinal)
            || Separator.Any(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+' or '\\' or '\r' or '\n'))
            throw DmErrors.ErrDumpUnitRuntime.New($"--csv-separator '{Separator}' must be non-empty and contain no letters, digits, '.', '+', '-', backslash, line breaks or the delimiter");
        return this;
    }
}
