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
    private const int MaxRowsPerStatement = Applying.WriterShape.MultipleRows;

    /// <param name="merge">Whether changes to mergeable tables may be collapsed by the writer (off when the target checks foreign keys).</param>
    /// <param name="filter">The table's expression filters (null when none): the row changes they drop are not planned.</param>
    /// <param name="extended">The table with its extend columns (null when its route extracts none): rows are written widened.</param>
    /// <param name="rowsPerStatement">Rows in one INSERT or DELETE (1 without DM's multiple-rows).</param>
    public static void Plan(SyncTransaction into, RowsEvent rows, TableInfo table, TableName target, bool safeMode, bool merge,
        TableRowFilter? filter = null, ExtendedTable? extended = null, int rowsPerStatement = MaxRowsPerStatement)
    {
        if (rows.ColumnCount != table.Columns.Count)
            throw DmErrors.ErrSyncerUnitDMLColumnNotMatch.WithMessage(
                DmErrors.ErrSyncerUnitDMLColumnNotMatch.FormatMessage(table.Columns.Count, rows.ColumnCount) +
                $" for table `{table.Schema}`.`{table.Name}` at {rows.ResumePosition}; fix the tracked structure with the schema endpoints (binlog-schema update)");
        var targetKey = target.Schema + "\u0000" + target.Name;
        var changes = rows.Rows;
        into.RowChanges += changes.Count;
        // Rows are read and filtered as the upstream table has them, then written as the target table (with extend columns) takes them.
        var written = extended?.Table ?? table;
        if (merge && MergeableTables.IsMergeable(written))
        {
            // The primary key is the table's only key: the causality key doubles as the key the writer merges by.
            var pk = written.PrimaryKey!;
            foreach (var change in changes)
            {
                var before = change.Before is { } b ? BinlogValues.Read(b, table, into) : null;
                var after = change.After is { } a ? BinlogValues.Read(a, table, into) : null;
                if (before is null && after is null) throw MissingImage(rows);
                if (filter is not null && Dropped(filter, before, after)) continue;
                if (extended is not null) (before, after) = (before is null ? null : extended.Extend(before), after is null ? null : extended.Extend(after));
                var beforeKey = before is null ? null : CausalityKeys.Of(targetKey, pk, written, before) ?? throw MissingKey(rows, table);
                var afterKey = after is null ? null : CausalityKeys.Of(targetKey, pk, written, after) ?? throw MissingKey(rows, table);
                if (beforeKey is not null) into.Keys.Add(beforeKey);
                if (afterKey is not null && afterKey != beforeKey) into.Keys.Add(afterKey);
                into.Rows.Add(new PlannedRow(written, target, before, after, beforeKey, afterKey));
            }
            return;
        }
        switch (rows.Kind)
        {
            case RowsEventKind.Write:
            {
                var images = changes.Select(c => BinlogValues.Read(c.After ?? throw MissingImage(rows), table, into)).ToList();
                if (filter is not null) images.RemoveAll(filter.DropsInsert);
                if (extended is not null) images = images.ConvertAll(extended.Extend);
                foreach (var image in images) CausalityKeys.Add(into.Keys, targetKey, written, image);
                foreach (var chunk in images.Chunk(rowsPerStatement))
                    into.Statements.Add(DmlBuilder.Insert(written, chunk, safeMode ? InsertMode.Replace : InsertMode.Insert, target));
                break;
            }
            case RowsEventKind.Delete:
            {
                var images = changes.Select(c => BinlogValues.Read(c.Before ?? throw MissingImage(rows), table, into)).ToList();
                if (filter is not null) images.RemoveAll(filter.DropsDelete);
                if (extended is not null) images = images.ConvertAll(extended.Extend);
                foreach (var image in images) CausalityKeys.Add(into.Keys, targetKey, written, image);
                foreach (var chunk in images.Chunk(rowsPerStatement))
                    into.Statements.AddRange(DmlBuilder.Delete(written, chunk, target));
                break;
            }
            case RowsEventKind.Update or RowsEventKind.PartialUpdate:
                foreach (var change in changes)
                {
                    var before = BinlogValues.Read(change.Before ?? throw MissingImage(rows), table, into);
                    var after = BinlogValues.Read(change.After ?? throw MissingImage(rows), table, into);
                    if (filter is not null && filter.DropsUpdate(before, after)) continue;
                    if (extended is not null) (before, after) = (extended.Extend(before), extended.Extend(after));
                    CausalityKeys.Add(into.Keys, targetKey, written, before);
                    CausalityKeys.Add(into.Keys, targetKey, written, after);
                    if (!safeMode)
                        into.Statements.Add(DmlBuilder.Update(written, before, after, target));
                    else
                    {
                        if (KeyChanged(written, before, after)) into.Statements.AddRange(DmlBuilder.Delete(written, [before], target));
                        into.Statements.Add(DmlBuilder.Insert(written, [after], InsertMode.Replace, target));
                    }
                }
                break;
            default:
                throw DmErrors.ErrSyncerUnitInvalidReplicaEvent.New(rows.EventType);
        }
    }

    private static bool Dropped(TableRowFilter filter, object?[]? before, object?[]? after) =>
        before is null ? filter.DropsInsert(after!) : after is null ? filter.DropsDelete(before) : filter.DropsUpdate(before, after);

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
