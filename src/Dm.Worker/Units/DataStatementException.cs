namespace Dm.Worker.Units;

/// <summary>A statement failed; carries a short preview of the SQL for the error message.</summary>
internal sealed class DataStatementException(string sql, Exception cause) : Exception(cause.Message, cause)
{
    public string StatementPreview { get; } = sql.Length > 200 ? sql[..200] + "..." : sql;
}
