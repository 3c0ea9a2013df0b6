using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using MySqlConnector;

namespace Dm.Worker.Checkpoints;

/// <summary>
/// How a checkpoint table keeps a <see cref="BinlogLocation"/>: three columns, the file name, the offset and the GTID set's
/// text (its flavor read back from the text), bound as parameters <c>{prefix}n</c>, <c>{prefix}p</c>, <c>{prefix}g</c>.
/// An absent location (a null safe-mode exit) is an empty name.
/// </summary>
internal static class LocationColumns
{
    public static void Bind(MySqlParameterCollection parameters, string prefix, BinlogLocation? location)
    {
        parameters.AddWithValue(prefix + "n", location?.FileName ?? "");
        parameters.AddWithValue(prefix + "p", location?.Offset ?? 0);
        parameters.AddWithValue(prefix + "g", location?.GtidText ?? "");
    }

    /// <summary>The location in columns <paramref name="first"/> to <paramref name="first"/> + 2; null when its name is NULL or empty.</summary>
    public static BinlogLocation? Read(MySqlDataReader reader, int first)
    {
        var name = reader.IsDBNull(first) ? "" : reader.GetString(first);
        if (name.Length == 0) return null;
        var gtid = reader.IsDBNull(first + 2) ? "" : reader.GetString(first + 2);
        try
        {
            return new BinlogLocation(name, Convert.ToInt64(reader.GetValue(first + 1), System.Globalization.CultureInfo.InvariantCulture),
                GtidSet.ParseEither(gtid));
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"the checkpoint's GTID set '{gtid}' cannot be read: {e.Message}", e);
        }
    }
}
