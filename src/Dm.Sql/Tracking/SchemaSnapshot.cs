using System.Text;
using System.Text.Json;
using Dm.Sql.Printing;

namespace Dm.Sql.Tracking;

/// <summary>
/// Serialises a <see cref="SchemaTracker"/> to JSON (databases with their charsets, each table as
/// the CREATE TABLE text the tracker holds) and restores it, for checkpoints.
/// </summary>
public static class SchemaSnapshot
{
    public static string Serialize(SchemaTracker tracker)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", 1);
            writer.WriteStartArray("databases");
            foreach (var db in tracker.AllDatabases.OrderBy(d => d.Name, StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteString("name", db.Name);
                writer.WriteString("charset", db.Charset);
                writer.WriteString("collation", db.Collation);
                writer.WriteStartArray("tables");
                foreach (var (name, table) in db.Tables.OrderBy(t => t.Key, StringComparer.Ordinal))
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", name);
                    writer.WriteString("create", SqlPrinter.Print(table.Definition));
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static SchemaTracker Restore(string json)
    {
        var tracker = new SchemaTracker();
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() != 1) throw new SchemaTrackerException("unknown schema snapshot version");
            foreach (var db in root.GetProperty("databases").EnumerateArray())
            {
                var name = db.GetProperty("name").GetString()!;
                tracker.RestoreDatabase(name, db.GetProperty("charset").GetString(), db.GetProperty("collation").GetString());
                foreach (var table in db.GetProperty("tables").EnumerateArray())
                    tracker.SetTable(name, table.GetProperty("create").GetString()!);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SchemaTrackerException("invalid schema snapshot: " + e.Message);
        }
        return tracker;
    }
}
