using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Worker.Units;

namespace Dm.Worker.Subtasks;

/// <summary>
/// Stands where the Sync unit goes (task modes all and incremental) until DM# has one: the subtask pauses
/// there with an error that says so, after Dump and Load have done their part. Never reports success.
/// </summary>
public sealed class UnavailableSyncUnit(string task, string mode) : IUnit
{
    public string Name => "Sync";

    public Task InitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<UnitResult> ProcessAsync(CancellationToken cancellationToken) =>
        Task.FromResult(UnitResult.Failed(DmErrors.ErrWorkerNoAvailUnits.WithMessage(
            $"subtask {task} (task-mode {mode}) needs the Sync unit, which this build of DM# does not have yet"), resumable: false));

    public object Status() => new SyncStatus
    {
        TotalEvents = 0, TotalTps = 0, RecentTps = 0, MasterBinlog = "", MasterBinlogGtid = "", SyncerBinlog = "", SyncerBinlogGtid = "",
        BlockingDdls = [], UnresolvedGroups = [], Synced = false, BinlogType = "remote", SecondsBehindMaster = 0, IoTotalBytes = 0,
        DumpIoTotalBytes = 0,
    };
}
