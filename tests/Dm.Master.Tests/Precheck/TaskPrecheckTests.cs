using Dm.Core.Config;
using Dm.Binlog.Replication;
using System.Text.Json;
using Dm.Core.Upstream;
using Dm.Master.Precheck;
using Dm.TestKit;

namespace Dm.Master.Tests.Precheck;

[Collection(UpstreamServersCollection.Name)]
public sealed class TaskPrecheckTests(UpstreamServers servers) : IAsyncLifetime
{
    private static CancellationToken Ct => CancellationToken.None;

    public Task InitializeAsync() => PrecheckData.EnsureAsync(servers);
    public Task DisposeAsync() => Task.CompletedTask;

    private PrecheckSource Source(string schema, DatabaseEndpoint? endpoint = null, string id = "mysql-01") =>
        new(id, endpoint ?? UpstreamServers.Root(servers.Source))
        {
            SchemaFilter = s => s == schema,
            TableFilter = (s, _) => s == schema,
        };

    private PrecheckRequest Request(string mode, params PrecheckSource[] sources) => new()
    {
        TaskName = "pc_task",
        Mode = mode,
        Sources = sources,
        Target = UpstreamServers.Root(servers.Target),
    };

    private static JsonElement Detail(string message)
    {
        var at = message.IndexOf("\n detail: ", StringComparison.Ordinal);
        Assert.True(at > 0, message);
        return JsonDocument.Parse(message[(at + "\n detail: ".Length)..]).RootElement;
    }

    private static IEnumerable<string> ShortErrors(JsonElement detail) =>
        detail.GetProperty("results").EnumerateArray()
            .SelectMany(r => r.TryGetProperty("errors", out var e) ? e.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(e => e.GetProperty("short_error").GetString()!);

    [Fact]
    public async Task CleanTaskPassesEveryItemOfModeAll()
    {
        var report = await TaskPrecheck.RunAsync(Request("all", Source("pc_ok")), Ct);
        Assert.Equal(
            ["binlog_db", "binlog_enable", "binlog_format", "binlog_row_image", "conn_number", "conn_number", "dump_privilege", "replication_privilege",
             "server_id", "table_schema", "target_privilege", "version"],
            report.Results.Select(r => r.Item).Order(StringComparer.Ordinal));
        Assert.All(report.Results, r => Assert.Equal(CheckState.Success, r.State));
        Assert.Equal("pre-check is passed. ", report.CheckResultMessage());
        Assert.Equal(Enumerable.Range(0, report.Results.Count), report.Results.Select(r => r.Id));
    }

    [Theory]
    [InlineData("full", "dump_privilege", "replication_privilege")]
    [InlineData("dump", "dump_privilege", "binlog_format")]
    [InlineData("incremental", "replication_privilege", "dump_privilege")]
    [InlineData("load", "table_schema", "dump_privilege")]
    public async Task TaskModeDecidesWhichItemsRun(string mode, string present, string absent)
    {
        var items = (await TaskPrecheck.RunAsync(Request(mode, Source("pc_ok")), Ct)).Results.Select(r => r.Item).ToList();
        Assert.Contains(present, items);
        Assert.DoesNotContain(absent, items);
    }

    [Fact]
    public async Task TableWithoutKeyIsAWarningWithDmsMessageAndDetail()
    {
        var message = await TaskPrecheck.CheckAsync(Request("all", Source("pc_nokey")), Ct);
        Assert.StartsWith("fail to check synchronization configuration with type: no errors but some warnings\n detail: {\n\t\t\"results\": [", message);
        Assert.EndsWith("\n\t}", message);
        var detail = Detail(message);
        var result = Assert.Single(detail.GetProperty("results").EnumerateArray());
        Assert.Equal("table structure compatibility check", result.GetProperty("name").GetString());
        Assert.Equal("warn", result.GetProperty("state").GetString());
        var error = Assert.Single(result.GetProperty("errors").EnumerateArray());
        Assert.Equal("warn", error.GetProperty("severity").GetString());
        Assert.Equal("table `pc_nokey`.`t` primary/unique key does not exist", error.GetProperty("short_error").GetString());
        Assert.StartsWith("please set primary/unique key", error.GetProperty("instruction").GetString());
        var summary = detail.GetProperty("summary");
        Assert.True(summary.GetProperty("passed").GetBoolean());
        Assert.Equal(12, summary.GetProperty("total").GetInt32());
        Assert.Equal(11, summary.GetProperty("successful").GetInt32());
        Assert.Equal(1, summary.GetProperty("warning").GetInt32());
    }

    [Fact]
    public async Task StatementBinlogFailsWith26005AndIgnoringTheItemsLeavesWarnings()
    {
        var statement = UpstreamServers.Root(servers.Statement);
        var request = Request("all", new PrecheckSource("mysql-02", statement)
        {
            SchemaFilter = s => s is "pc_ok" or UpstreamServers.IgnoredDb,
            TableFilter = (s, _) => s is "pc_ok" or UpstreamServers.IgnoredDb,
        });
        var e = await Assert.ThrowsAsync<UpstreamException>(() => TaskPrecheck.CheckAsync(request, Ct));
        Assert.Equal(26005, e.Code);
        Assert.StartsWith("fail to check synchronization configuration with type: check was failed, please see detail\n detail: {", e.Message);
        var errors = ShortErrors(Detail(e.Message)).ToList();
        Assert.Contains("binlog_format is STATEMENT, and should be ROW", errors);
        Assert.Contains("binlog_row_image is MINIMAL, and should be FULL", errors);
        Assert.Contains($"these dbs [{UpstreamServers.IgnoredDb}] are in binlog_ignore_db[{UpstreamServers.IgnoredDb}]", errors);
        Assert.Equal(2, Detail(e.Message).GetProperty("summary").GetProperty("failed").GetInt32());

        var ignoring = request with { IgnoreCheckingItems = ["binlog_format", "binlog_row_image"] };
        var message = await TaskPrecheck.CheckAsync(ignoring, Ct);
        Assert.StartsWith("fail to check synchronization configuration with type: no errors but some warnings", message);
        Assert.StartsWith($"these dbs [{UpstreamServers.IgnoredDb}] are in binlog_ignore_db", Assert.Single(ShortErrors(Detail(message))));
        Assert.Equal("", await TaskPrecheck.CheckAsync(request with { IgnoreCheckingItems = ["all"] }, Ct));
    }

    [Fact]
    public async Task BinlogOffFailsBinlogEnable()
    {
        await UpstreamServers.ExecAsync(servers.Target, "CREATE DATABASE IF NOT EXISTS pc_nobinlog", "CREATE TABLE IF NOT EXISTS pc_nobinlog.t (id INT PRIMARY KEY)");
        var report = await TaskPrecheck.RunAsync(Request("incremental", Source("pc_nobinlog", UpstreamServers.Root(servers.Target))), Ct);
        var failed = report.Results.Where(r => r.State == CheckState.Fail).Select(r => r.Item).Order().ToList();
        // Without --log-bin the server reports its default binlog_format (MIXED), which fails too, as in DM.
        Assert.Equal(["binlog_db", "binlog_enable", "binlog_format"], failed);
        Assert.Equal("log_bin is OFF, and should be ON", report.Results.Single(r => r.Item == "binlog_enable").Errors!.Single().ShortError);
    }

    [Fact]
    public async Task UnknownTaskModeIsConfigError20020()
    {
        var e = await Assert.ThrowsAsync<UpstreamException>(() => TaskPrecheck.CheckAsync(Request("everything", Source("pc_ok")), Ct));
        Assert.Equal(20020, e.Code);
    }

    [Fact]
    public async Task UnknownIgnoredItemIsConfigError20001()
    {
        var e = await Assert.ThrowsAsync<UpstreamException>(() =>
            TaskPrecheck.CheckAsync(Request("all", Source("pc_ok")) with { IgnoreCheckingItems = ["binlog_fromat"] }, Ct));
        Assert.Equal(20001, e.Code);
        Assert.StartsWith("checking item binlog_fromat is not supported", e.Message);
    }

    [Fact]
    public async Task AccountWithOnlyDatabaseSelectLacksReloadAndReplication()
    {
        var endpoint = UpstreamServers.As(servers.Source, "pc_dump_only", PrecheckData.Password);
        var report = await TaskPrecheck.RunAsync(Request("all", Source("pc_ok", endpoint)), Ct);
        Assert.Equal("lack of RELOAD global (*.*) privilege; ",
            report.Results.Single(r => r.Item == "dump_privilege").Errors!.Single().ShortError);
        var replication = report.Results.Single(r => r.Item == "replication_privilege");
        Assert.Equal(CheckState.Fail, replication.State);
        Assert.Equal("lack of REPLICATION CLIENT global (*.*) privilege; lack of REPLICATION SLAVE global (*.*) privilege; ",
            replication.Errors!.Single().ShortError);
        Assert.Equal("Grant the required privileges to the account.", replication.Instruction);
        var e = Assert.Throws<UpstreamException>(report.CheckResultMessage);
        Assert.Equal(26005, e.Code);

        // A full dump without FTWRL needs only SELECT, which the database grant gives (odd names included).
        var full = Request("full", Source("pc_ok", endpoint)) with { Consistency = "none" };
        Assert.Equal("pre-check is passed. ", await TaskPrecheck.CheckAsync(full, Ct));
        var odd = await TaskPrecheck.RunAsync(Request("full", Source(PrecheckData.OddSchema, endpoint)) with { Consistency = "none" }, Ct);
        Assert.Equal(CheckState.Success, odd.Results.Single(r => r.Item == "dump_privilege").State);
        Assert.Equal("table `pc-o``dd`.`t 1` primary/unique key does not exist",
            odd.Results.Single(r => r.Item == "table_schema").Errors!.Single().ShortError);
        // With LOCK TABLES consistency the account lacks LOCK TABLES on each table.
        var locking = await TaskPrecheck.RunAsync(Request("full", Source("pc_ok", endpoint)) with { Consistency = "lock" }, Ct);
        Assert.Equal("lack of LOCK TABLES privilege: {`pc_ok`.`t1`, `pc_ok`.`t2`}; ",
            locking.Results.Single(r => r.Item == "dump_privilege").Errors!.Single().ShortError);
    }

    [Fact]
    public async Task TableGrantCoversOnlyItsTableAndColumnGrantDoesNotCount()
    {
        var endpoint = UpstreamServers.As(servers.Source, "pc_tbl_only", PrecheckData.Password);
        var report = await TaskPrecheck.RunAsync(Request("full", Source("pc_ok", endpoint)) with { Consistency = "flush" }, Ct);
        var dump = report.Results.Single(r => r.Item == "dump_privilege");
        Assert.Equal(CheckState.Fail, dump.State);
        Assert.Equal("lack of SELECT privilege: {`pc_ok`.`t2`}; ", dump.Errors!.Single().ShortError);
        Assert.Equal("Please grant the required privileges to the account.", dump.Instruction);
    }

    [Fact]
    public async Task PrivilegesThroughTheDefaultRoleCountButAnInactiveRoleDoesNot()
    {
        var withRole = UpstreamServers.As(servers.Source, "pc_role_user", PrecheckData.Password);
        var viaRole = await TaskPrecheck.RunAsync(Request("all", Source("pc_ok", withRole)), Ct);
        Assert.True(viaRole.Summary.Successful == viaRole.Summary.Total, viaRole.DetailJson());

        var idle = UpstreamServers.As(servers.Source, "pc_idle_role", PrecheckData.Password);
        var report = await TaskPrecheck.RunAsync(Request("all", Source("pc_ok", idle)), Ct);
        Assert.Equal(CheckState.Fail, report.Results.Single(r => r.Item == "replication_privilege").State);
        Assert.Equal(CheckState.Fail, report.Results.Single(r => r.Item == "dump_privilege").State);
    }

    [Fact]
    public async Task LimitedTargetAccountIsOnlyAWarning()
    {
        var request = Request("all", Source("pc_ok")) with { Target = UpstreamServers.As(servers.Target, "pc_tgt_limited", PrecheckData.Password) };
        var message = await TaskPrecheck.CheckAsync(request, Ct);
        Assert.Equal(
            ["lack of CREATE global (*.*) privilege; lack of UPDATE global (*.*) privilege; lack of DELETE global (*.*) privilege; " +
             "lack of DROP global (*.*) privilege; lack of ALTER global (*.*) privilege; lack of INDEX global (*.*) privilege; "],
            ShortErrors(Detail(message)));
    }

    [Fact]
    public async Task UnreachableTargetOrSourceIs26002()
    {
        var closed = Dm.TestKit.FreePort.Next();
        var e = await Assert.ThrowsAsync<UpstreamException>(() => TaskPrecheck.CheckAsync(
            Request("all", Source("pc_ok")) with { Target = new DatabaseEndpoint("127.0.0.1", closed, "dm", "pw") }, Ct));
        Assert.Equal(26002, e.Code);
        Assert.StartsWith($"failed to open DSN dm:***@127.0.0.1:{closed}", e.Message);
        e = await Assert.ThrowsAsync<UpstreamException>(() => TaskPrecheck.CheckAsync(
            Request("all", Source("pc_ok", UpstreamServers.As(servers.Source, "root", "bad"))), Ct));
        Assert.Equal(26002, e.Code);
        Assert.DoesNotContain("bad", e.Message.Split(',')[0].Replace("database", ""));
    }

    private PrecheckSource Shards(string id, params string[] schemas) =>
        new(id, UpstreamServers.Root(servers.Source))
        {
            SchemaFilter = schemas.Contains,
            TableFilter = (s, _) => schemas.Contains(s),
            Router = t => new TableRef("pc_shard", t.Table),
        };

    [Fact]
    public async Task PessimisticShardsWithSameStructureWarnAboutAutoIncrement()
    {
        var report = await TaskPrecheck.RunAsync(
            Request("all", Shards("mysql-01", "pc_shard_a"), Shards("mysql-02", "pc_shard_b")) with { ShardMode = "pessimistic" }, Ct);
        var shard = report.Results.Single(r => r.Item == "schema_of_shard_tables");
        Assert.Equal("sharding table `pc_shard`.`t1` consistency checking", shard.Name);
        Assert.Equal(CheckState.Warn, shard.State);
        Assert.Equal("sourceID mysql-01 table `pc_shard_a`.`t1` of sharding `pc_shard`.`t1` have auto-increment key, please make sure them don't conflict in target table!",
            shard.Errors!.Single().ShortError);

        var ignored = await TaskPrecheck.RunAsync(
            Request("all", Shards("mysql-01", "pc_shard_a"), Shards("mysql-02", "pc_shard_b")) with
            { ShardMode = "pessimistic", IgnoreCheckingItems = ["auto_increment_ID"] }, Ct);
        Assert.Equal(CheckState.Success, ignored.Results.Single(r => r.Item == "schema_of_shard_tables").State);
    }

    [Fact]
    public async Task PessimisticShardsMustMatchOptimisticOnlyAgreeOnSharedColumns()
    {
        var pessimistic = await TaskPrecheck.RunAsync(
            Request("full", Shards("mysql-01", "pc_shard_a", "pc_shard_c")) with { ShardMode = "pessimistic" }, Ct);
        var shard = pessimistic.Results.Single(r => r.Item == "schema_of_shard_tables");
        Assert.Equal(CheckState.Fail, shard.State);
        var mismatch = shard.Errors!.Single(e => e.Severity == CheckState.Fail);
        Assert.Equal("column length mismatch (self: 2 vs other: 3)", mismatch.ShortError);
        Assert.Equal("sourceID mysql-01 table `pc_shard_a`.`t1` columns [id v]", mismatch.Self);
        Assert.Equal("sourceID mysql-01 table `pc_shard_c`.`t1` columns [id v extra]", mismatch.Other);
        Assert.Equal("please set same table structure for sharding tables", shard.Instruction);

        var optimistic = await TaskPrecheck.RunAsync(
            Request("full", Shards("mysql-01", "pc_shard_a", "pc_shard_c")) with { ShardMode = "optimistic" }, Ct);
        Assert.NotEqual(CheckState.Fail, optimistic.Results.Single(r => r.Item == "schema_of_shard_tables").State);

        var typeClash = await TaskPrecheck.RunAsync(
            Request("full", Shards("mysql-01", "pc_shard_c", "pc_shard_d")) with { ShardMode = "optimistic" }, Ct);
        var clash = typeClash.Results.Single(r => r.Item == "schema_of_shard_tables").Errors!.Single();
        Assert.Equal("different column definition", clash.ShortError);
        Assert.Equal("sourceID mysql-01 table `pc_shard_c`.`t1` column v int(11)", clash.Self);
        Assert.Equal("sourceID mysql-01 table `pc_shard_d`.`t1` column v bigint(20)", clash.Other);
    }

    [Fact]
    public async Task ShardStructureIsNotComparedOnceCheckpointsExist()
    {
        await UpstreamServers.ExecAsync(servers.Target, "CREATE DATABASE IF NOT EXISTS pc_meta",
            "CREATE TABLE IF NOT EXISTS pc_meta.pc_resumed_syncer_checkpoint (id INT PRIMARY KEY)");
        var report = await TaskPrecheck.RunAsync(
            Request("all", Shards("mysql-01", "pc_shard_a", "pc_shard_c")) with { ShardMode = "pessimistic", TaskName = "pc_resumed", MetaSchema = "pc_meta" }, Ct);
        Assert.DoesNotContain(report.Results, r => r.Item == "schema_of_shard_tables");
        Assert.Equal("pre-check is passed. ", report.CheckResultMessage());
    }

    [Fact]
    public async Task TargetsDifferingOnlyByCaseAre26001()
    {
        var source = Source("pc_ok") with { Router = t => new TableRef("pc_x", t.Table == "t1" ? "T" : "t") };
        var e = await Assert.ThrowsAsync<UpstreamException>(() => TaskPrecheck.CheckAsync(Request("all", source), Ct));
        Assert.Equal(26001, e.Code);
        Assert.Contains("same target table", e.Message);
    }

    [Fact]
    public async Task ChecksRunConcurrentlyWithinTheConnectionBudget()
    {
        var many = Enumerable.Range(0, PrecheckData.ManySchemas).Select(i => $"pc_many_{i}").ToHashSet();
        PrecheckSource Many(string id) => new(id, UpstreamServers.Root(servers.Source))
        {
            SchemaFilter = many.Contains,
            TableFilter = (s, _) => many.Contains(s),
            Router = t => new TableRef(t.Schema + "_" + id, t.Table),
        };
        var request = Request("all", Many("s1"), Many("s2"), Many("s3")) with { MaxConnections = 2 };
        var report = await TaskPrecheck.RunAsync(request, Ct);
        Assert.Equal("pre-check is passed. ", report.CheckResultMessage());
        Assert.InRange(report.PeakConnections, 1, 2);
        var single = await TaskPrecheck.RunAsync(request with { MaxConnections = 1 }, Ct);
        Assert.Equal((true, 1), (single.Passed, single.PeakConnections));
        var wide = await TaskPrecheck.RunAsync(request with { MaxConnections = 16 }, Ct);
        Assert.True(wide.PeakConnections > 2, $"peak {wide.PeakConnections}");
    }

    [Fact]
    public async Task ConnectionNeedsBeyondMaxConnectionsFail()
    {
        var report = await TaskPrecheck.RunAsync(Request("full", Source("pc_ok"), Source("pc_ok", id: "mysql-02")) with
            { DumpThreads = 499, LoaderPoolSize = 249 }, Ct);
        var conn = report.Results.Where(r => r.Item == "conn_number").ToList();
        Assert.Equal(3, conn.Count);
        Assert.Equal(CheckState.Success, conn.Single(r => r.Name == "loader_conn_amount_checker").State); // 2 × (249 + 1) = 500 fits
        Assert.All(conn.Where(r => r.Name == "dumper_conn_amount_checker"), r =>
            Assert.Equal("upstream's max_connections: 500 is less than the amount dumper needs: 501", r.Errors!.Single().ShortError));

        var loader = (await TaskPrecheck.RunAsync(Request("all", Source("pc_ok"), Source("pc_ok", id: "mysql-02")) with { LoaderPoolSize = 250 }, Ct))
            .Results.Single(r => r.Name == "loader_conn_amount_checker");
        Assert.Equal("downstream's max_connections: 500 is less than the amount loader needs: 502", loader.Errors!.Single().ShortError);
        Assert.Equal("set larger max_connections or reduce the pool size of dm", loader.Instruction);
    }

    [Fact]
    public async Task HalfDoneOnlineDdlOfAMigratedTableFails()
    {
        await UpstreamServers.ExecAsync(servers.Source, "CREATE DATABASE IF NOT EXISTS pc_ghost",
            "CREATE TABLE IF NOT EXISTS pc_ghost.orders (id INT PRIMARY KEY)",
            "CREATE TABLE IF NOT EXISTS pc_ghost.`_orders_gho` (id INT PRIMARY KEY)",
            "CREATE TABLE IF NOT EXISTS pc_ghost.items (id INT PRIMARY KEY)");
        var migrateAll = new PrecheckSource("mysql-01", UpstreamServers.Root(servers.Source))
        {
            SchemaFilter = s => s == "pc_ghost",
            TableFilter = (s, t) => s == "pc_ghost" && !t.StartsWith('_'),
        };
        var report = await TaskPrecheck.RunAsync(Request("incremental", migrateAll) with { OnlineDdl = true }, Ct);
        var ddl = report.Results.Single(r => r.Item == "online_ddl");
        Assert.Equal(CheckState.Fail, ddl.State);
        Assert.Equal("your ddl is in pt/ghost online-ddl", ddl.Errors!.Single().ShortError);

        var onlyItems = migrateAll with { TableFilter = (s, t) => s == "pc_ghost" && t == "items" };
        var other = await TaskPrecheck.RunAsync(Request("incremental", onlyItems) with { OnlineDdl = true }, Ct);
        Assert.Equal(CheckState.Success, other.Results.Single(r => r.Item == "online_ddl").State);
        Assert.DoesNotContain((await TaskPrecheck.RunAsync(Request("incremental", migrateAll), Ct)).Results, r => r.Item == "online_ddl");
    }

    [Fact]
    public async Task MetaPositionMustStillBeInTheUpstreamBinlog()
    {
        BinlogLocation now;
        await using (var inspector = await UpstreamInspector.ConnectAsync(UpstreamServers.Root(servers.Source), Ct))
            now = (await inspector.ReadMasterStatusAsync(await inspector.ReadServerInfoAsync(Ct), Ct)).Location;
        static BinlogMeta Meta(string name, long pos, string gtid = "") => new() { BinlogName = name, BinlogPos = (uint)pos, BinlogGtid = gtid };
        async Task<CheckResult> Check(BinlogMeta meta, bool gtid) =>
            (await TaskPrecheck.RunAsync(Request("incremental", Source("pc_ok") with { Meta = meta, EnableGtid = gtid }), Ct))
            .Results.Single(r => r.Item == "meta_position");

        Assert.Equal(CheckState.Success, (await Check(Meta(now.FileName, now.Offset), false)).State);
        Assert.Equal(CheckState.Success, (await Check(Meta(now.FileName, 4), false)).State);
        Assert.StartsWith("binlog mysql-bin.999999 is not in the upstream's binary logs",
            (await Check(Meta("mysql-bin.999999", 4), false)).Errors!.Single().ShortError);
        Assert.StartsWith($"binlog position {now.Offset + 1000000} is outside {now.FileName}",
            (await Check(Meta(now.FileName, now.Offset + 1000000), false)).Errors!.Single().ShortError);

        Assert.Equal(CheckState.Success, (await Check(Meta("", 0, now.GtidText), true)).State);
        Assert.Equal(CheckState.Success, (await Check(Meta("", 0, "0-1-1"), true)).State);
        Assert.StartsWith("GTID 0-1-999999999 is ahead of the upstream's gtid_binlog_pos",
            (await Check(Meta("", 0, "0-1-999999999"), true)).Errors!.Single().ShortError);
        Assert.StartsWith("GTID domain 7 of 7-1-5 is not in the upstream's gtid_binlog_pos",
            (await Check(Meta("", 0, "7-1-5"), true)).Errors!.Single().ShortError);
        Assert.Equal("GTID set banana for MariaDB not valid", (await Check(Meta("", 0, "banana"), true)).Errors!.Single().ShortError);

        // Purging the binlogs that held the old transactions makes an old GTID unusable.
        await UpstreamServers.ExecAsync(servers.Source, "INSERT INTO pc_ok.t1 VALUES (" + (Environment.TickCount & 0xffff) + ", 'x') ON DUPLICATE KEY UPDATE v = 'y'",
            "FLUSH BINARY LOGS");
        BinlogLocation fresh;
        await using (var inspector = await UpstreamInspector.ConnectAsync(UpstreamServers.Root(servers.Source), Ct))
            fresh = (await inspector.ReadMasterStatusAsync(await inspector.ReadServerInfoAsync(Ct), Ct)).Location;
        // PURGE keeps a file InnoDB's binlog checkpoint still needs; retry until the old files are gone.
        for (var i = 0; i < 100 && !Equals(await servers.Source.ScalarAsync("SHOW BINARY LOGS"), fresh.FileName); i++)
        {
            await UpstreamServers.ExecAsync(servers.Source, $"PURGE BINARY LOGS TO '{fresh.FileName}'");
            await Task.Delay(100, Ct);
        }
        Assert.Equal(fresh.FileName, await servers.Source.ScalarAsync("SHOW BINARY LOGS"));
        Assert.Contains("purged", (await Check(Meta("", 0, "0-1-1"), true)).Errors!.Single().ShortError);
        Assert.Equal(CheckState.Success, (await Check(Meta("", 0, fresh.GtidText), true)).State);
        Assert.StartsWith($"binlog {now.FileName} is not in the upstream's binary logs", (await Check(Meta(now.FileName, 4), false)).Errors!.Single().ShortError);

        // Not checked with relay on, nor in modes that dump first.
        var relay = await TaskPrecheck.RunAsync(Request("incremental", Source("pc_ok") with { Meta = Meta("nope", 4), EnableRelay = true }), Ct);
        Assert.DoesNotContain(relay.Results, r => r.Item == "meta_position");
        var all = await TaskPrecheck.RunAsync(Request("all", Source("pc_ok") with { Meta = Meta("nope", 4) }), Ct);
        Assert.DoesNotContain(all.Results, r => r.Item == "meta_position");
    }

    [Fact]
    public void DisplayIsCappedButTheSummaryCountsEverything()
    {
        var results = Enumerable.Range(0, 5).Select(i => new CheckResult { Id = i, Name = $"c{i}", Item = "table_schema" }
            .Add(CheckError.Warning($"w{i}a")).Add(CheckError.Warning($"w{i}b"))).ToList();
        var report = new PrecheckReport(results, errorLimit: 10, warnLimit: 3);
        var detail = JsonDocument.Parse(report.DetailJson()).RootElement;
        Assert.Equal(["w0a", "w0b", "w1a"], ShortErrors(detail));
        Assert.Equal(5, detail.GetProperty("summary").GetProperty("warning").GetInt32());
    }
}
