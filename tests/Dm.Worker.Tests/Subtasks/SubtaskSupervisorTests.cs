using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Contracts;
using Dm.Worker.Control;
using Dm.Worker.Dump;
using Dm.Worker.Hosting;
using Dm.Worker.Subtasks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dm.Worker.Tests.Subtasks;

/// <summary>
/// The supervisor turns desired state into subtasks without any server (units connect only when they run): a task over
/// several sources builds this worker's own subtask, a state it cannot build shows Paused with the error, and a changed
/// state for the task is tried again.
/// </summary>
public sealed class SubtaskSupervisorTests
{
    private const string Worker = "worker-a";

    private static SourceConfig Source(string name) =>
        new() { SourceId = name, ServerId = 101, From = new DbConfig { Host = "127.0.0.1", Port = 1, User = "root" } };

    private static string TaskJson(string name, params string[] sources) => $$"""
        {
          "name": "{{name}}", "task_mode": "all", "on_duplicate": "replace", "meta_schema": "dm_meta",
          "enhance_online_schema_change": false,
          "target_config": { "host": "127.0.0.1", "port": 1, "user": "root", "password": "" },
          "table_migrate_rule": [{{string.Join(",", sources.Select(s =>
              $$"""{ "source": { "source_name": "{{s}}", "schema": "openapi", "table": "*" }, "target": { "schema": "openapi" } }"""))}}],
          "source_config": { "source_conf": [{{string.Join(",", sources.Select(s => $$"""{ "source_name": "{{s}}" }"""))}}] }
        }
        """;

    /// <summary>The desired state as the master sends it: each task resolved on the bound source, or its error.</summary>
    private static DesiredState State(long revision, string source, params (string Task, string Json)[] subtasks)
    {
        var config = Source(source);
        var state = new DesiredState { Revision = revision, BoundSource = source, Source = ContractMapping.ToMessage(config) };
        foreach (var (task, json) in subtasks)
            state.Subtasks.Add(new SubtaskAssignment { Task = task, ExpectedStage = ContractMapping.ToMessage(TaskStage.Stopped) }
                .Resolve(() => TaskConverter.ToSubTask(ApiJson.Deserialize<DmTask>(json), config)));
        return state;
    }

    private static async Task<(AssignmentBoard Board, SubtaskSupervisor Supervisor)> StartAsync()
    {
        var board = new AssignmentBoard();
        var supervisor = new SubtaskSupervisor(board, new WorkerOptions { Name = Worker }, new DumpFileRegistry(), NullLoggerFactory.Instance);
        await supervisor.StartAsync(CancellationToken.None);
        return (board, supervisor);
    }

    private static async Task<SubTaskStatus> StatusAsync(AssignmentBoard board, SubtaskSupervisor supervisor, string task, long revision)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (supervisor.AppliedRevision < revision && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.True(supervisor.AppliedRevision >= revision, $"revision {revision} was not applied");
        return Assert.Single(supervisor.Statuses(), s => s.Name == task);
    }

    [Fact]
    public async Task A_task_over_two_sources_builds_this_workers_subtask_and_shows_Stopped_until_started()
    {
        var (board, supervisor) = await StartAsync();
        board.Apply(State(5, "mysql-01", ("two", TaskJson("two", "mysql-01", "mysql-02"))));
        var status = await StatusAsync(board, supervisor, "two", 5);
        Assert.Equal(TaskStage.Stopped, status.Stage);
        Assert.Equal("InvalidUnit", status.Unit);
        Assert.Null(status.ErrorMsg);
        Assert.Equal("mysql-01", status.SourceName);
        Assert.Equal(Worker, status.WorkerName);
        await supervisor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_state_that_cannot_be_built_shows_Paused_with_its_error_and_a_changed_state_is_tried_again()
    {
        var (board, supervisor) = await StartAsync();
        // A task that does not name this worker's source: DM's 20031, in the status rather than only in the log.
        board.Apply(State(7, "mysql-01", ("broken", TaskJson("broken", "mysql-02"))));
        var failed = await StatusAsync(board, supervisor, "broken", 7);
        Assert.Equal(TaskStage.Paused, failed.Stage);
        Assert.Contains("code=20031", failed.ErrorMsg);
        Assert.Contains("source mysql-01 in deployment configuration not found", failed.ErrorMsg);

        // The same state again (a heartbeat's re-send) keeps the error; the fixed task builds a runner.
        board.Apply(State(8, "mysql-01", ("broken", TaskJson("broken", "mysql-02"))));
        Assert.Contains("code=20031", (await StatusAsync(board, supervisor, "broken", 8)).ErrorMsg);
        board.Apply(State(9, "mysql-01", ("broken", TaskJson("broken", "mysql-01", "mysql-02"))));
        var fixedStatus = await StatusAsync(board, supervisor, "broken", 9);
        Assert.Equal(TaskStage.Stopped, fixedStatus.Stage);
        Assert.Null(fixedStatus.ErrorMsg);
        await supervisor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_source_config_the_worker_cannot_read_pauses_every_subtask_with_the_error()
    {
        var (board, supervisor) = await StartAsync();
        var state = State(3, "mysql-01", ("t1", TaskJson("t1", "mysql-01")), ("t2", TaskJson("t2", "mysql-01")));
        // A duration no TimeSpan can hold: the source config cannot be read.
        state.Source.Checker.BackoffMax = new Google.Protobuf.WellKnownTypes.Duration { Seconds = 1, Nanos = -1 };
        board.Apply(state);
        await StatusAsync(board, supervisor, "t1", 3);
        Assert.All(supervisor.Statuses(), s =>
        {
            Assert.Equal(TaskStage.Paused, s.Stage);
            Assert.Contains("code=", s.ErrorMsg);
        });
        Assert.Equal(2, supervisor.Statuses().Count);
        await supervisor.StopAsync(CancellationToken.None);
    }
}
