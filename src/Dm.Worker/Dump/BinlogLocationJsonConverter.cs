using System.Text.Json;
using System.Text.Json.Serialization;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;

namespace Dm.Worker.Dump;

/// <summary>
/// A <see cref="BinlogLocation"/> in the JSON a dump keeps of itself (its plan file, the streaming copy's state row):
/// <c>{"File": ..., "Position": ..., "GtidSet": "..."}</c>, the GTID set's flavor read from its text.
/// </summary>
public sealed class BinlogLocationJsonConverter : JsonConverter<BinlogLocation>
{
    public override BinlogLocation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a binlog location must be an object");
        string file = "", gtid = "";
        long position = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "File": file = reader.GetString() ?? ""; break;
                case "Position": position = reader.GetInt64(); break;
                case "GtidSet": gtid = reader.GetString() ?? ""; break;
                default: reader.Skip(); break;
            }
        }
        try
        {
            return new BinlogLocation(file, position, GtidSet.ParseEither(gtid));
        }
        catch (FormatException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, BinlogLocation value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("File", value.FileName);
        writer.WriteNumber("Position", value.Offset);
        writer.WriteString("GtidSet", value.GtidText);
        writer.WriteEndObject();
    }
}
