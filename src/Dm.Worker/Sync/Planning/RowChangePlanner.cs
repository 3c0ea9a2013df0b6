using Dm.Binlog.Events;
using Dm.Core.Errors;
using Dm.Sql.Ast;
using Dm.Sql.Dml;
using Dm.Sql.Tracking;

namespace Dm.Worker.Sync.Planning;

/// <summary>
/// Turns one rows event into target statements and causality keys. Normal mode replays the change as it
/// happened (INSERT / UPDATE by key / DELETE by key); safe mode makes it idempotent as DM does: INSERT
/// becomes REPLACE, UPDATE becomes REPLACE (plus DELETE of the old key when the key changed).
/// Inserts and deletes of one event become one multi-row statement.
/// </summary>
internal static class RowChangePlanner
{
    private const int MaxRowsPerStatement = 256;

    /// <param name="merge">Whether changes to mergeable tables may be collapsed by the writer (off when the target checks foreign keys).</param>
    public static void Plan(SyncTransaction into, RowsEvent rows, TableInfo table, TableName target, bool safeMode, bool merge)
    {
        if (rows.ColumnCount != table.Columns.Count)
            throw DmErrors.ErrSyncerUnitDMLColumnNotMatch.WithMessage(
                DmErrors.ErrSyncerUnitDMLColumnNotMatch.FormatMessage(table.Columns.Count, rows.ColumnCount) +
                $" for table `{table.Schema}`.`{table.Name}` at {rows.ResumePosition}; fix the tracked structure with the schema endpoints (binlog-schema update)");
        var targetKey = target.Schema + "\u0000" + target.Name;
        var changes = rows.Rows;
        into.RowChanges += changes.Count;
        if (merge && MergeableTables.IsMergeable(table))
        {
            // The primary key is the table's only key: the causality key doubles as the key the writer merges by.
            var pk = table.PrimaryKey!;
            foreach (var change in changes)
            {
                var before = change.Before is { } b ? BinlogValues.Read(b, table) : null;
                var after = change.After is { } a ? BinlogValues.Read(a, table) : null;
                if (before is null && after is null) throw MissingImage(rows);
                var beforeKey = before is null ? null : CausalityKeys.Of(targetKey, pk, table, before) ?? throw MissingKey(rows, table);
                var afterKey = after is null ? null : CausalityKeys.Of(targetKey, pk, table, after) ?? throw MissingKey(rows, table);
                if (beforeKey is not null) into.Keys.Add(beforeKey);
                if (afterKey is not null && afterKey != beforeKey) into.Keys.Add(afterKey);
                into.Rows.Add(new PlannedRow(table, target, before, after, beforeKey, afterKey));
            }
            return;
        }
        switch (rows.Kind)
        {
            case RowsEventKind.Write:
            {
                var images = changes.Select(c => BinlogValues.Read(c.After ?? throw MissingImage(rows), table)).ToList();
                foreach (var image in images) CausalityKeys.Add(into.Keys, targetKey, table, image);
                foreach (var chunk in images.Chunk(MaxRowsPerStatement))
                    into.Statements.Add(DmlBuilder.Insert(table, chunk, safeMode ? InsertMode.Replace : InsertMode.Insert, target));
                break;
            }
            case RowsEventKind.Delete:
            {
                var images = changes.Select(c => BinlogValues.Read(c.Before ?? throw MissingImage(rows), table)).ToList();
                foreach (var image in images) CausalityKeys.Add(into.Keys, targetKey, table, image);
                foreach (var chunk in images.Chunk(MaxRowsPerStatement))
                    into.Statements.AddRange(DmlBuilder.Delete(table, chunk, target));
                break;
            }
            case RowsEventKind.Update or RowsEventKind.PartialUpdate:
                foreach (var change in changes)
                {
                    var before = BinlogValues.Read(change.Before ?? throw MissingImage(rows), table);
                    var after = BinlogValues.Read(change.After ?? throw MissingImage(rows), table);
                    CausalityKeys.Add(into.Keys, targetKey, table, before);
                    CausalityKeys.Add(into.Keys, targetKey, table, after);
                    if (!safeMode)
                        into.Statements.Add(DmlBuilder.Update(table, before, after, target));
                    else
                    {
                        if (KeyChanged(table, before, after)) into.Statements.AddRange(DmlBuilder.Delete(table, [before], target));
                        into.Statements.Add(DmlBuilder.Insert(table, [after], InsertMode.Replace, target));
                    }
                }
                break;
            default:
                throw DmErrors.ErrSyncerUnitInvalidReplicaEvent.New(rows.EventType);
        }
    }

    private static bool KeyChanged(TableInfo table, object?[] before, object?[] after)
    {
        var key = DmlBuilder.KeyColumns(table, out var byAll);
        if (byAll) return true;
        return key.Any(c => !Equals(before[c.Ordinal], after[c.Ordinal]) &&
                            !(before[c.Ordinal] is byte[] a && after[c.Ordinal] is byte[] b && a.AsSpan().SequenceEqual(b)));
    }

    private static DmException MissingKey(RowsEvent rows, TableInfo table) =>
        DmErrors.ErrBinlogDMLEmptyData.WithMessage($"{rows.EventType} at {rows.ResumePosition} has a row without its primary key of `{table.Schema}`.`{table.Name}`");

    private static DmException MissingImage(RowsEvent rows) =>
        DmErrors.ErrBinlogDMLEmptyData.WithMessage($"{rows.EventType} at {rows.ResumePosition} lacks a row image (binlog_row_image must be FULL)");
}
