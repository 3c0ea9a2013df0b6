using System.Text;
using Dm.Binlog.Protocol;

namespace Dm.Binlog.Events;

/// <summary>
/// QUERY_EVENT (and MariaDB's QUERY_COMPRESSED_EVENT, decompressed): a statement with the session
/// state it ran in, from the status variables (MySQL source: libbinlogevents/src/statement_events.cpp).
/// </summary>
public sealed class QueryEvent : BinlogEvent
{
    public uint ThreadId { get; init; }
    public uint ExecutionTime { get; init; }
    public ushort ErrorCode { get; init; }
    public string DefaultDatabase { get; init; } = "";
    public string Query { get; init; } = "";

    public uint? Flags2 { get; init; }
    public ulong? SqlMode { get; init; }
    /// <summary>character_set_client collation id (Q_CHARSET_CODE).</summary>
    public ushort? ClientCharset { get; init; }
    public ushort? ConnectionCollation { get; init; }
    public ushort? ServerCollation { get; init; }
    public string? TimeZone { get; init; }
    public ushort? AutoIncrementIncrement { get; init; }
    public ushort? AutoIncrementOffset { get; init; }
    /// <summary>MariaDB Q_XID: the XID of a DDL that committed with one.</summary>
    public ulong? Xid { get; init; }
    public IReadOnlyList<string>? UpdatedDatabases { get; init; }

    [ThreadStatic] private static (byte[] Bytes, string Text)? _lastDatabase;

    /// <summary>The default database repeats in every BEGIN: keep the last name instead of a new string each time.</summary>
    private static string DatabaseName(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) return "";
        if (_lastDatabase is { } last && bytes.SequenceEqual(last.Bytes)) return last.Text;
        var text = Encoding.UTF8.GetString(bytes);
        _lastDatabase = (bytes.ToArray(), text);
        return text;
    }

    internal static QueryEvent Parse(ReadOnlySpan<byte> body, int postHeaderLength, bool compressed)
    {
        var reader = new PayloadReader(body);
        var threadId = reader.ReadUInt32();
        var execTime = reader.ReadUInt32();
        var dbLength = reader.ReadByte();
        var errorCode = reader.ReadUInt16();
        var statusLength = postHeaderLength >= 13 ? reader.ReadUInt16() : 0;
        reader.Seek(postHeaderLength);
        var status = reader.ReadBytes(statusLength);
        var dbBytes = reader.ReadBytes(dbLength);
        var db = DatabaseName(dbBytes);
        reader.ReadByte(); // NUL after the database name
        var queryBytes = reader.ReadToEnd();
        var query = compressed ? Encoding.UTF8.GetString(MariaDbCompression.Decompress(queryBytes))
            : queryBytes.SequenceEqual("BEGIN"u8) ? "BEGIN" // one per transaction: no new string each time
            : queryBytes.SequenceEqual("COMMIT"u8) ? "COMMIT"
            : Encoding.UTF8.GetString(queryBytes);

        uint? flags2 = null;
        ulong? sqlMode = null, xid = null;
        ushort? client = null, connection = null, server = null, incInc = null, incOff = null;
        string? timeZone = null;
        List<string>? updatedDbs = null;
        var vars = new PayloadReader(status);
        while (!vars.IsAtEnd)
        {
            var code = vars.ReadByte();
            switch (code)
            {
                case 0: flags2 = vars.ReadUInt32(); break;
                case 1: sqlMode = vars.ReadUInt64(); break;
                case 2: vars.Skip(vars.ReadByte() + 1); break; // old catalog, NUL-terminated
                case 3: incInc = vars.ReadUInt16(); incOff = vars.ReadUInt16(); break;
                case 4: client = vars.ReadUInt16(); connection = vars.ReadUInt16(); server = vars.ReadUInt16(); break;
                case 5: timeZone = Encoding.UTF8.GetString(vars.ReadBytes(vars.ReadByte())); break;
                case 6: vars.Skip(vars.ReadByte()); break; // catalog
                case 7: vars.Skip(2); break; // lc_time_names
                case 8: vars.Skip(2); break; // charset_database
                case 9: vars.Skip(8); break; // table_map_for_update
                case 10: vars.Skip(4); break; // master_data_written
                case 11: vars.Skip(vars.ReadByte()); vars.Skip(vars.ReadByte()); break; // invoker user, host
                case 12:
                {
                    var count = vars.ReadByte();
                    if (count == 254) break; // OVER_MAX_DBS_IN_EVENT_MTS: no names follow
                    updatedDbs = new List<string>(count);
                    for (var i = 0; i < count; i++) updatedDbs.Add(Encoding.UTF8.GetString(vars.ReadNullTerminatedBytes()));
                    break;
                }
                case 13: vars.Skip(3); break; // microseconds
                case 14: vars.Skip(8); break; // commit_ts (unused)
                case 15: vars.Skip(8); break; // commit_ts2
                case 16: vars.Skip(1); break; // explicit_defaults_for_timestamp
                case 17: vars.Skip(8); break; // ddl_logged_with_xid
                case 18: vars.Skip(2); break; // default_collation_for_utf8mb4
                case 19: vars.Skip(1); break; // sql_require_primary_key
                case 20: vars.Skip(1); break; // default_table_encryption
                case 128: vars.Skip(3); break; // MariaDB Q_HRNOW
                case 129: xid = vars.ReadUInt64(); break; // MariaDB Q_XID
                case 130: vars.Skip(1); break; // MariaDB Q_GTID_FLAGS3
                default:
                    // An unknown status variable: its length is unknown, so the rest cannot be read.
                    vars.Seek(status.Length);
                    break;
            }
        }
        return new QueryEvent
        {
            ThreadId = threadId, ExecutionTime = execTime, ErrorCode = errorCode, DefaultDatabase = db, Query = query,
            Flags2 = flags2, SqlMode = sqlMode, ClientCharset = client, ConnectionCollation = connection,
            ServerCollation = server, TimeZone = timeZone, AutoIncrementIncrement = incInc, AutoIncrementOffset = incOff,
            Xid = xid, UpdatedDatabases = updatedDbs,
        };
    }
}
