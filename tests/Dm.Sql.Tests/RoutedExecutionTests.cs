using Dm.Sql.Ast;
using Dm.Sql.Parsing;
using Dm.Sql.Printing;
using Dm.TestKit;
using MySqlConnector;

namespace Dm.Sql.Tests;

/// <summary>
/// Routing on a real server: a corpus script is executed a second time through the rename hook
/// (schema corpusNN → corpusNN_routed, and for files 01/02 every table t → r_t, FK targets and LIKE
/// sources included). Every routed table must end up with the same definition as its original.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class RoutedExecutionTests(MariaDbFixture fixture)
{
    [Theory]
    [InlineData("mariadb-01-create-table.sql", true)]
    [InlineData("mariadb-02-alter-table.sql", true)]
    [InlineData("mariadb-03-other-statements.sql", false)]
    public async Task RoutedScriptBuildsTheSameTables(string file, bool renameTables)
    {
        static string RoutedSchema(string schema) => schema.StartsWith("corpus", StringComparison.Ordinal) ? schema + "_routed" : schema;
        var mapper = new NameMapper(
            t => new TableName(t.Schema is null ? null : RoutedSchema(t.Schema), renameTables ? "r_" + t.Name : t.Name),
            RoutedSchema);

        // two sessions: USE in the original script must not move the routed one
        await using var connection = await fixture.Server.OpenAsync();
        await using var routedConnection = await fixture.Server.OpenAsync();
        var schemas = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var sql in CorpusFiles.Statements(CorpusFiles.PathOf(file)))
        {
            var statement = SqlParser.Parse(sql);
            if (statement is PassThroughStatement) continue; // accounts, SET...: nothing to route
            if (statement is CreateDatabaseStatement create) schemas.Add(create.Name);
            // the original and its routed copy, side by side on one server
            foreach (var (text, session) in new[] { (SqlPrinter.Print(statement), connection), (SqlPrinter.Print(statement, mapper), routedConnection) })
            {
                try
                {
                    await using var command = new MySqlCommand(text, session);
                    await command.ExecuteNonQueryAsync();
                }
                catch (MySqlException e)
                {
                    failures.Add($"{text}\n  => {e.Message}");
                }
            }
        }

        var compared = 0;
        foreach (var schema in schemas)
        {
            var originals = await ServerSchema.BaseTablesAsync(connection, schema);
            var routedTables = await ServerSchema.BaseTablesAsync(connection, RoutedSchema(schema));
            var expectedNames = originals.Select(t => renameTables ? "r_" + t : t).Order(StringComparer.Ordinal).ToList();
            if (!expectedNames.SequenceEqual(routedTables.Order(StringComparer.Ordinal)))
                failures.Add($"{schema}: tables {string.Join(",", expectedNames)} but routed has {string.Join(",", routedTables)}");
            foreach (var table in originals)
            {
                var routedName = renameTables ? "r_" + table : table;
                if (!routedTables.Contains(routedName)) continue;
                var original = await ServerSchema.ShowCreateTableAsync(connection, schema, table);
                var copy = await ServerSchema.ShowCreateTableAsync(connection, RoutedSchema(schema), routedName);
                // names the server derives from the table name (FK constraints) carry the prefix too
                var normalized = renameTables ? copy.Replace("`r_", "`", StringComparison.Ordinal) : copy;
                normalized = normalized.Replace(RoutedSchema(schema), schema, StringComparison.Ordinal);
                if (normalized != original) failures.Add($"{schema}.{table} differs:\n  original: {original}\n  routed:   {copy}");
                compared++;
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n\n", failures.Take(20)));
        Assert.True(compared >= 4, $"only {compared} tables compared");
    }
}
