using Dm.Binlog.Replication;
using System.Globalization;
using Dm.Contracts;
using Dm.Core.Errors;
using Dm.Master.Sources;
using Dm.Master.Workers;

namespace Dm.Master.Tasks;

/// <summary>
/// DM's HandleError for DM#'s REST surface: skip or replace the binlog event a task's Sync unit stopped on
/// (or the one at a position), list or revert those operations — asked of each selected source's worker.
/// </summary>
public sealed class BinlogErrorService(TaskService tasks, SourceService sources, WorkerQueryClient workers)
{
    public static readonly IReadOnlyList<string> Operations = ["skip", "replace", "list", "revert"];

    public async Task<BinlogOperationResponse> OperateAsync(string task, string operation, BinlogOperationRequest request, CancellationToken ct)
    {
        if (!Operations.Contains(operation))
            throw DmErrors.ErrVerifyHandleErrorArgs.WithMessage(
                $"invalid binlog operation \"{operation}\": expected one of {string.Join(", ", Operations)}");
        var statements = (request.Sqls ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
        if (operation == "replace" && statements.Count == 0)
            throw DmErrors.ErrVerifyHandleErrorArgs.WithMessage("binlog replace needs at least one SQL statement in sqls");
        if (operation != "replace" && statements.Count > 0)
            throw DmErrors.ErrVerifyHandleErrorArgs.WithMessage($"binlog {operation} takes no SQL statements");
        var position = NormalisePosition(request.BinlogPos);

        var stored = await tasks.RequireAsync(task, ct);
        var selected = request.SourceNameList is { Count: > 0 } list ? list : stored.SourceNames.ToList();
        foreach (var source in selected)
        {
            if (!stored.SourceNames.Contains(source)) throw DmErrors.ErrSchedulerSourceCfgNotExist.New(source);
            await sources.RequireAsync(source, ct);
        }

        var data = new List<BinlogOperationSourceResult>();
        foreach (var source in selected)
            data.Add(await OnSourceAsync(task, source, operation, position, statements, ct));
        return new BinlogOperationResponse { Total = data.Count, Data = data };
    }

    private async Task<BinlogOperationSourceResult> OnSourceAsync(string task, string source, string operation, BinlogPosition? position,
        List<string> statements, CancellationToken ct)
    {
        var worker = "";
        try
        {
            var (name, client) = await workers.ConnectAsync(source, ct);
            worker = name;
            var subtask = new SubtaskRef { Task = task, Source = source };
            var at = new ErrorOperationRef { Subtask = subtask, Position = position is { } p ? ContractMapping.ToMessage(p) : null };
            List<BinlogErrorOperationView>? listed = null;
            switch (operation)
            {
                case "list":
                    var reply = await WorkerQueryClient.CallAsync(source, () => client.ListErrorOperationsAsync(at, workers.Options(ct)), r => r.Error);
                    listed = reply.Operations.Select(o => new BinlogErrorOperationView
                    {
                        BinlogPos = ContractMapping.ToPosition(o.Position)?.ToString() ?? "",
                        Op = o.Operation == ErrorOperationKind.Replace ? "replace" : "skip",
                        Sqls = o.Statements.ToList(),
                    }).ToList();
                    break;
                case "revert":
                    await WorkerQueryClient.CallAsync(source, () => client.RevertErrorOperationAsync(at, workers.Options(ct)), r => r.Error);
                    break;
                default:
                    var handle = new HandleErrorRequest
                    {
                        Subtask = subtask,
                        Operation = operation == "replace" ? ErrorOperationKind.Replace : ErrorOperationKind.Skip,
                        Position = at.Position,
                    };
                    handle.Statements.AddRange(statements);
                    await WorkerQueryClient.CallAsync(source, () => client.HandleErrorAsync(handle, workers.Options(ct)), r => r.Error);
                    break;
            }
            return new BinlogOperationSourceResult { SourceName = source, WorkerName = worker, Result = true, Operations = listed };
        }
        catch (DmException e)
        {
            return new BinlogOperationSourceResult
            {
                SourceName = source, WorkerName = worker, Result = false, ErrorCode = e.Code, ErrorMsg = e.ToErrorMessage(),
            };
        }
    }

    /// <summary>
    /// The event a binlog operation names, as the Sync unit names events (the upstream's file and the offset); DM's relay
    /// form "mysql-bin|000001.000003:pos" loses its relay sub-directory suffix; null when none is given. Anything else is
    /// DM's 11118 (handle-error arguments).
    /// </summary>
    public static BinlogPosition? NormalisePosition(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        if (!BinlogPosition.TryParse(raw.Trim(), out var position) || position.Position > uint.MaxValue)
            throw DmErrors.ErrVerifyHandleErrorArgs.WithMessage($"invalid binlog position \"{raw}\": expected file:pos, e.g. mysql-bin.000003:3270");
        var file = BinlogFileName.Parse(position.FileName);
        if (file.RelaySuffix is not null && file.Sequence < 0)
            throw DmErrors.ErrVerifyHandleErrorArgs.WithMessage($"invalid binlog position \"{raw}\": expected name|suffix.index:pos");
        return position with { FileName = file.UpstreamName };
    }
}
