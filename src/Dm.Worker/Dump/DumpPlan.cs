namespace Dm.Worker.Dump;

/// <summary>How a column's value is rendered as an SQL literal by the dump query.</summary>
public enum ColumnRendering
{
    /// <summary>Integers and decimals: the server's text is already a literal.</summary>
    Number,
    /// <summary>Strings, temporals, JSON, enums, floats: QUOTE() in utf8mb4.</summary>
    Quoted,
    /// <summary>Binary strings, blobs, geometry: X'hex', so the statement text stays valid UTF-8.</summary>
    Hex,
    /// <summary>BIT(n): its unsigned value.</summary>
    Bit,
}

public sealed record ColumnPlan(string Name, ColumnRendering Rendering);

/// <summary>One key range of a table: <c>Lower &lt;= key &lt; Upper</c>, an open end when null; both null = whole table.</summary>
public sealed record ChunkPlan(string Id, int Index, string? Lower, string? Upper);

/// <summary>One upstream table, its routed downstream name, its CREATE TABLE (already routed) and its chunks.</summary>
public sealed record TablePlan(
    string SourceSchema, string SourceTable, string TargetSchema, string TargetTable,
    string CreateTableSql, IReadOnlyList<ColumnPlan> Columns, string? SplitColumn, IReadOnlyList<ChunkPlan> Chunks,
    long EstimatedRows)
{
    /// <summary>KEY lines the target table is created without and gets back after its rows (streaming copy; see <see cref="Load.DeferredIndexes"/>).
    /// Null when the target table existed before the copy; set (maybe empty) for tables the copy creates from <see cref="CreateTableSql"/>.</summary>
    public IReadOnlyList<string>? DeferredKeys { get; init; }

    /// <summary>The copy created the target table itself, so its columns are the source's.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool CreatedByCopy => DeferredKeys is not null;
}

/// <summary>Everything a dump exports; kept stable across restarts so finished chunks keep their meaning.</summary>
public sealed record DumpPlan(IReadOnlyList<TablePlan> Tables)
{
    public IEnumerable<(TablePlan Table, ChunkPlan Chunk)> AllChunks() =>
        Tables.SelectMany(t => t.Chunks.Select(c => (t, c)));

    public IReadOnlyList<string> TargetSchemas() =>
        Tables.Select(t => t.TargetSchema).Distinct(StringComparer.Ordinal).ToList();
}
