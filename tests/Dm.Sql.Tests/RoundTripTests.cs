using Dm.Sql.Ast;
using Dm.Sql.Parsing;
using Dm.Sql.Printing;

namespace Dm.Sql.Tests;

/// <summary>Every corpus statement parses, prints, and re-parses to an equal AST that prints the same.</summary>
public sealed class RoundTripTests
{
    public static string RoundTrip(string sql, out Statement parsed)
    {
        parsed = SqlParser.Parse(sql);
        var printed = SqlPrinter.Print(parsed);
        Statement reparsed;
        try
        {
            reparsed = SqlParser.Parse(printed);
        }
        catch (SqlParseException e)
        {
            throw new Xunit.Sdk.XunitException($"printed text does not parse: {e.Message}\n  printed: {printed}");
        }
        if (!parsed.Equals(reparsed))
            throw new Xunit.Sdk.XunitException($"re-parsed AST differs\n  printed: {printed}\n  first:  {parsed}\n  second: {reparsed}");
        var again = SqlPrinter.Print(reparsed);
        if (again != printed) throw new Xunit.Sdk.XunitException($"printing is not stable\n  {printed}\n  {again}");
        return printed;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles.FileNames), MemberType = typeof(CorpusFiles))]
    public void CorpusFileRoundTrips(string file)
    {
        var failures = new List<string>();
        foreach (var sql in CorpusFiles.Statements(CorpusFiles.PathOf(file)))
        {
            try
            {
                RoundTrip(sql, out _);
            }
            catch (Exception e) when (e is SqlParseException or Xunit.Sdk.XunitException)
            {
                failures.Add($"{sql}\n  => {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} statements failed:\n" + string.Join("\n\n", failures.Take(30)));
    }

    [Fact]
    public void CorpusHasAtLeastAThousandStatements()
    {
        var total = CorpusFiles.All().Sum(f => CorpusFiles.Statements(f).Count);
        Assert.True(total >= 1000, $"corpus has {total} statements");
    }
}
