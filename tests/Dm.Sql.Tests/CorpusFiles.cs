using Dm.Sql.Parsing;

namespace Dm.Sql.Tests;

/// <summary>
/// The DDL corpus under Corpus/: files named mariadb-*.sql are scripts MariaDB 10.11 accepts and are
/// executed in order on a real server; parse-*.sql hold syntax of other versions (MySQL 5.7/8.0/8.4,
/// MariaDB 11.x) that is only parsed, printed and re-parsed.
/// </summary>
public static class CorpusFiles
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Corpus");

    public static IEnumerable<string> All() => System.IO.Directory.GetFiles(Directory, "*.sql").Order(StringComparer.Ordinal);

    public static IEnumerable<string> Executable() => All().Where(f => Path.GetFileName(f).StartsWith("mariadb-", StringComparison.Ordinal));

    public static IReadOnlyList<string> Statements(string file) => SqlParser.SplitStatements(File.ReadAllText(file));

    public static IEnumerable<object[]> FileNames() => All().Select(f => new object[] { Path.GetFileName(f) });

    public static IEnumerable<object[]> ExecutableFileNames() => Executable().Select(f => new object[] { Path.GetFileName(f) });

    public static string PathOf(string name) => Path.Combine(Directory, name);
}
