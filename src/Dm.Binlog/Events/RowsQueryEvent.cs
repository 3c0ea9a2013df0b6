using System.Text;

namespace Dm.Binlog.Events;

/// <summary>ROWS_QUERY_LOG_EVENT (MySQL, binlog_rows_query_log_events): the statement behind the next rows events.</summary>
public sealed class RowsQueryEvent(ReadOnlyMemory<byte> text) : BinlogEvent
{
    private string? _query;

    /// <summary>The statement text (decoded on first access).</summary>
    public string Query => _query ??= Encoding.UTF8.GetString(text.Span);
}
