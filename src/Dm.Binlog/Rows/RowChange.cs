namespace Dm.Binlog.Rows;

/// <summary>One changed row: <see cref="After"/> for inserts, <see cref="Before"/> for deletes, both for updates.</summary>
public readonly record struct RowChange(RowImage? Before, RowImage? After);
