using System.Text;

namespace Dm.Worker.Dump;

/// <summary>File names in the dump dir; schema and table names are percent-encoded so any name is a safe file name.</summary>
public static class DumpFileNames
{
    public const string Metadata = "metadata";
    public const string Manifest = "dm-dump-plan.json";
    public const string FinishedLog = "dm-dump-finished.log";

    public static string SchemaCreate(string targetSchema) => $"{Encode(targetSchema)}-schema-create.sql";

    public static string TableSchema(TablePlan table) => $"{Encode(table.SourceSchema)}.{Encode(table.SourceTable)}-schema.sql";

    public static string Encode(string name)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            var c = (char)b;
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_')
                sb.Append(c);
            else
                sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }
}
