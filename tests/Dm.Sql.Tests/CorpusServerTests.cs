using Dm.Sql.Ast;
using Dm.Sql.Printing;
using Dm.Sql.Tracking;
using Dm.TestKit;
using MySqlConnector;

namespace Dm.Sql.Tests;

/// <summary>
/// The executable corpus on a real MariaDB 10.11: every statement is parsed, printed, re-parsed and the
/// PRINTED text executed; afterwards every table's SHOW CREATE TABLE is parsed (round trip too) into a
/// tracker and compared with information_schema.COLUMNS / STATISTICS. A second tracker that only saw
/// the DDL statements themselves is compared with the server the same way.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class CorpusServerTests(MariaDbFixture fixture)
{
    [Theory]
    [MemberData(nameof(CorpusFiles.ExecutableFileNames), MemberType = typeof(CorpusFiles))]
    public async Task CorpusFileExecutesAndTrackerMatchesServer(string file)
    {
        await using var connection = await fixture.Server.OpenAsync();
        var ddlTracker = new SchemaTracker();
        var databases = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var failures = new List<string>();

        foreach (var sql in CorpusFiles.Statements(CorpusFiles.PathOf(file)))
        {
            string printed;
            Statement statement;
            try
            {
                printed = RoundTripTests.RoundTrip(sql, out statement);
            }
            catch (Exception e) when (e is SqlParseException or Xunit.Sdk.XunitException)
            {
                failures.Add($"{sql}\n  => {e.Message}");
                continue;
            }
            try
            {
                await using var command = new MySqlCommand(printed, connection);
                await command.ExecuteNonQueryAsync();
            }
            catch (MySqlException e)
            {
                failures.Add($"server rejected printed statement\n  original: {sql}\n  printed:  {printed}\n  => {e.Message}");
                continue;
            }
            if (statement is UseStatement use) current = use.Database;
            if (statement is CreateDatabaseStatement create) databases.Add(create.Name);
            try
            {
                ddlTracker.Apply(statement, current);
            }
            catch (SchemaTrackerException) when (statement is CreateTableStatement { Select: not null } ctas)
            {
                var schema = ctas.Table.Schema ?? current!;
                ddlTracker.SetTable(schema, await ServerSchema.ShowCreateTableAsync(connection, schema, ctas.Table.Name));
            }
            catch (SchemaTrackerException e)
            {
                failures.Add($"tracker could not apply: {sql}\n  => {e.Message}");
            }
        }

        var compared = 0;
        foreach (var schema in databases.Order(StringComparer.Ordinal))
        {
            await using var exists = new MySqlCommand("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @s", connection);
            exists.Parameters.AddWithValue("@s", schema);
            if (Convert.ToInt32(await exists.ExecuteScalarAsync()) == 0) continue;
            var showTracker = new SchemaTracker();
            foreach (var table in await ServerSchema.BaseTablesAsync(connection, schema))
            {
                var showCreate = await ServerSchema.ShowCreateTableAsync(connection, schema, table);
                try
                {
                    RoundTripTests.RoundTrip(showCreate, out _);
                    showTracker.SetTable(schema, showCreate);
                }
                catch (Exception e) when (e is SqlParseException or Xunit.Sdk.XunitException or SchemaTrackerException)
                {
                    failures.Add($"SHOW CREATE TABLE {schema}.{table}: {showCreate}\n  => {e.Message}");
                    continue;
                }
                var columns = await ServerSchema.ColumnsAsync(connection, schema, table);
                var indexes = await ServerSchema.IndexColumnsAsync(connection, schema, table);
                foreach (var problem in ServerSchema.Compare(showTracker.GetTable(schema, table), columns, indexes, compareDefaults: true))
                    failures.Add($"SHOW CREATE tracker vs server, {schema}.{table}: {problem}\n  {showCreate}");
                foreach (var problem in ServerSchema.Compare(ddlTracker.GetTable(schema, table), columns, indexes))
                    failures.Add($"DDL tracker vs server, {schema}.{table}: {problem}\n  tracked: {Tracked(ddlTracker, schema, table)}\n  server:  {showCreate}");
                compared++;
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n\n", failures.Take(40)));
        Assert.True(compared > 0, "no table was compared");
    }

    private static string Tracked(SchemaTracker tracker, string schema, string table) =>
        tracker.GetTable(schema, table) is { } info ? SqlPrinter.Print(info.Definition) : "(none)";
}
