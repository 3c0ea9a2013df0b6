using Dm.ClusterState.Sqlite;
using Dm.Contracts;
using Dm.Core.Api;
using Dm.Master.Sources;
using Dm.Master.State;
using Dm.Master.Tasks;
using Dm.Master.Workers;

namespace Dm.Master.Tests;

/// <summary>
/// The desired state the master sends a worker, over a real local store: the bound source's config and, for each task
/// on that source, the subtask config resolved for that source (passwords revealed), or the error that stops it.
/// </summary>
public sealed class DesiredStateReaderTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dm-desired-state-tests", Guid.NewGuid().ToString("N"));
    private SqliteClusterStore _store = null!;
    private PasswordCipher _secrets = null!;
    private DesiredStateReader _reader = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var key = Path.Combine(_dir, "secret.key");
        await File.WriteAllTextAsync(key, new string('a', 64));
        _secrets = await PasswordCipher.LoadAsync(key, CancellationToken.None);
        _store = SqliteClusterStore.Open(Path.Combine(_dir, "store"));
        var sources = new SourceService(_store, new MasterGate(), _secrets, new WorkerStatusBoard(),
            new WorkerQueryClient(new MasterState(_store), new Dm.Master.Hosting.MasterOptions(),
                new JoinSecret(_store, _secrets, new Dm.Master.Ha.ClusterSetup { Kind = Dm.Master.Ha.ClusterStateKind.Local, DataDir = _dir },
                    Microsoft.Extensions.Logging.Abstractions.NullLogger<JoinSecret>.Instance), new Dm.Core.Tls.ProcessTls(null)));
        var compiler = new TaskCompiler(sources, _secrets);
        _reader = new DesiredStateReader(_store, compiler);
        await _store.TxnAsync([], [
            MasterState.Put(Source("s1", 3306)), MasterState.Put(Source("s2", 3307)), MasterState.PutBound("s1", "w1"),
            MasterState.Put(Task("both", "s1", "s2")), MasterState.Put(new SubtaskStage("s1", "both", TaskStage.Running) { Generation = 7 }),
            MasterState.Put(new SubtaskStage("s2", "both", TaskStage.Running)),
        ]);
        await _store.PutAsync(MasterKeys.TaskCliArgs("both", "s1"), MasterState.Encode(new TaskCliArgs("2024-05-01 10:00:00", "90s", null)));
    }

    [Fact]
    public async Task A_worker_gets_its_sources_subtask_of_a_task_over_two_sources_with_passwords_revealed()
    {
        var state = await _reader.ReadAsync("w1", CancellationToken.None);
        Assert.Equal("s1", state.BoundSource);
        var source = ContractMapping.ToConfig(state.Source);
        Assert.Equal(3306, source.From.Port);
        Assert.Equal("source-secret", source.From.Password);

        var assignment = Assert.Single(state.Subtasks);
        Assert.Equal(Stage.Running, assignment.ExpectedStage);
        Assert.Equal(7, assignment.StartGeneration);
        Assert.Equal("2024-05-01 10:00:00", assignment.StartTime);
        Assert.Equal(TimeSpan.FromSeconds(90), assignment.SafeModeTimeDuration.ToTimeSpan());
        var config = ContractMapping.ToConfig(assignment.Config);
        Assert.Equal("s1", config.SourceId);
        Assert.Equal(3306, config.From.Port);
        Assert.Equal("target-secret", config.To.Password);
        Assert.Equal(["shop"], config.BlockAllowList!.DoDbs);

        // Read again, the same state: a worker does not rebuild its runner for nothing.
        Assert.True(DesiredStateReader.SameWork(state, await _reader.ReadAsync("w1", CancellationToken.None)));
    }

    [Fact]
    public async Task A_task_that_cannot_be_resolved_on_the_source_goes_with_its_error()
    {
        await _store.TxnAsync([], [MasterState.Put(Task("other", "s2")), MasterState.Put(new SubtaskStage("s1", "other", TaskStage.Stopped))]);
        var state = await _reader.ReadAsync("w1", CancellationToken.None);
        var assignment = Assert.Single(state.Subtasks, s => s.Task == "other");
        Assert.Equal(SubtaskAssignment.ResolvedOneofCase.UnresolvedError, assignment.ResolvedCase);
        Assert.Contains("code=20031", assignment.UnresolvedError);
        Assert.Equal(Stage.Stopped, assignment.ExpectedStage);
        Assert.Null(assignment.SafeModeTimeDuration);
    }

    [Fact]
    public async Task TLS_private_keys_are_stored_encrypted_and_revealed_only_to_the_worker()
    {
        const string key = "-----BEGIN PRIVATE KEY-----\nTLS-KEY-AT-REST-abcdef\n-----END PRIVATE KEY-----\n";
        var security = new Security { SslCaContent = "ca", SslCertContent = "cert", SslKeyContent = key };
        var source = Source("tls1", 3308);
        source = source with { Source = source.Source with { Security = _secrets.ProtectKey(security) } };
        var task = Task("tlstask", "tls1").Task;
        task = task with { TargetConfig = task.TargetConfig with { Security = security } };
        var compiler = new TaskCompiler(new SourceService(_store, new MasterGate(), _secrets, new WorkerStatusBoard(), null!), _secrets);
        var stored = compiler.Protect(task);
        Assert.DoesNotContain("TLS-KEY-AT-REST", stored.TargetConfig.Security!.SslKeyContent);
        await _store.TxnAsync([], [
            MasterState.Put(source), MasterState.PutBound("tls1", "w2"), MasterState.Put(new StoredTask { Task = stored }),
            MasterState.Put(new SubtaskStage("tls1", "tlstask", TaskStage.Running)),
        ]);
        await _store.DisposeAsync();
        var files = Directory.GetFiles(Path.Combine(_dir, "store")).Select(File.ReadAllBytes).ToList();
        Assert.All(files, bytes => Assert.Equal(-1, bytes.AsSpan().IndexOf("TLS-KEY-AT-REST"u8)));
        _store = SqliteClusterStore.Open(Path.Combine(_dir, "store"));
        _reader = new DesiredStateReader(_store, new TaskCompiler(new SourceService(_store, new MasterGate(), _secrets, new WorkerStatusBoard(), null!), _secrets));

        var state = await _reader.ReadAsync("w2", CancellationToken.None);
        Assert.Contains("TLS-KEY-AT-REST", ContractMapping.ToConfig(state.Source).From.Security!.SslKeyBytes);
        var config = ContractMapping.ToConfig(Assert.Single(state.Subtasks).Config);
        Assert.Contains("TLS-KEY-AT-REST", config.To.Security!.SslKeyBytes);
    }

    private StoredSource Source(string name, int port) => new()
    {
        Source = new Source
        {
            SourceName = name, Host = "127.0.0.1", Port = port, User = "root", Password = _secrets.Protect("source-secret"),
            Enable = true, EnableGtid = false,
        },
        ServerId = 1,
        CaseSensitive = false,
    };

    private StoredTask Task(string name, params string[] sources) => new()
    {
        Task = ApiJson.Deserialize<DmTask>($$"""
            {
              "name": "{{name}}", "task_mode": "all", "on_duplicate": "replace", "meta_schema": "dm_meta",
              "enhance_online_schema_change": false,
              "target_config": { "host": "127.0.0.1", "port": 1, "user": "root", "password": "{{_secrets.Protect("target-secret")}}" },
              "table_migrate_rule": [{{string.Join(",", sources.Select(s =>
                  $$"""{ "source": { "source_name": "{{s}}", "schema": "shop", "table": "" } }"""))}}],
              "source_config": { "source_conf": [{{string.Join(",", sources.Select(s => $$"""{ "source_name": "{{s}}" }"""))}}] }
            }
            """),
    };

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
