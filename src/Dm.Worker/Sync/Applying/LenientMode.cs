using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Sync.Applying;

/// <summary>
/// The commands that switch a strict writer session (<see cref="DataConnections.StrictSqlMode"/>) to the non-strict mode for
/// one batch and back: for transactions holding a value the upstream stored under its own non-strict mode that a strict
/// session refuses (<see cref="SyncTransaction.Lenient"/>). Both modes are the ones the connection recorded when it was opened
/// (<see cref="DataConnections.WriterModeVariable"/>), so a sql_mode from the task's <c>target-database.session</c> is kept.
/// </summary>
internal static class LenientMode
{
    public static MySqlBatchCommand Relax() => new($"SET SESSION sql_mode = {DataConnections.LenientModeVariable}");

    public static MySqlBatchCommand Restore() => new($"SET SESSION sql_mode = {DataConnections.WriterModeVariable}");
}
