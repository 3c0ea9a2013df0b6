namespace Dm.Sql.Tracking;

/// <summary>A DDL the tracker cannot apply to what it knows (unknown table, unknown column, CREATE ... SELECT).</summary>
public sealed class SchemaTrackerException(string message) : Exception(message);
