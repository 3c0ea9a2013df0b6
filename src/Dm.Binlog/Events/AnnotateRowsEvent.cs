using System.Text;

namespace Dm.Binlog.Events;

/// <summary>MariaDB ANNOTATE_ROWS_EVENT (binlog_annotate_row_events): the statement behind the next rows events.</summary>
public sealed class AnnotateRowsEvent(ReadOnlyMemory<byte> text) : BinlogEvent
{
    private string? _query;

    /// <summary>The statement text as logged (UTF-8), not decoded.</summary>
    public ReadOnlyMemory<byte> Utf8Query => text;

    /// <summary>The statement text (decoded on first access).</summary>
    public string Query => _query ??= Encoding.UTF8.GetString(text.Span);
}
