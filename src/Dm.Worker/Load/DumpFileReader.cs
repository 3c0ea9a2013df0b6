using System.Runtime.CompilerServices;
using System.Text;
using Dm.Core.Errors;

namespace Dm.Worker.Load;

/// <summary>
/// Splits a dumped data file back into INSERT statement bodies. Statements end with ";\n" outside quotes;
/// values may hold raw newlines and semicolons inside '...' (QUOTE escapes with backslashes) and names may
/// hold anything inside backticks, so the scan tracks both.
/// </summary>
public static class DumpFileReader
{
    public const string InsertPrefix = "INSERT INTO ";

    public static async IAsyncEnumerable<string> ReadStatementBodiesAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken);
        foreach (var statement in Split(text))
        {
            if (!statement.StartsWith(InsertPrefix, StringComparison.Ordinal))
                throw DmErrors.ErrLoadUnitInvalidInsertSQL.New(statement.Length > 100 ? statement[..100] : statement);
            yield return statement[InsertPrefix.Length..];
        }
    }

    internal static IEnumerable<string> Split(string text)
    {
        var start = 0;
        var inQuote = false;
        var inName = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuote)
            {
                if (c == '\\') i++;
                else if (c == '\'') inQuote = false;
            }
            else if (inName)
            {
                if (c == '`') inName = false;
            }
            else if (c == '\'') inQuote = true;
            else if (c == '`') inName = true;
            else if (c == ';' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                yield return text[start..i];
                start = i + 2;
                i++;
            }
        }
        if (inQuote || inName || text[start..].Trim().Length > 0)
            throw DmErrors.ErrLoadUnitInvalidFileEnding.New();
    }
}
