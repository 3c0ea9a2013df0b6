using System.Text.Json.Nodes;

namespace Dm.Master.Tests;

[Collection(MasterCollection.Name)]
public sealed class TaskApiTests(MasterEnvironment env)
{
    private ApiClient Api => env.Api;

    private async Task Source(string name, bool enable = true, bool second = false)
    {
        var server = second ? env.Upstream2 : env.Upstream1;
        var response = await Api.Post("/api/v1/sources", new { source = MasterEnvironment.SourceBody(name, server, enable) });
        Assert.True(response.Code == 201, response.ToString());
    }

    private async Task<ApiResponse> Create(JsonObject task) => await Api.Post("/api/v1/tasks", new JsonObject { ["task"] = task }.ToJsonString());

    [Fact]
    public async Task CreateStoresTheTaskStoppedWithPasswordHidden()
    {
        await Source("t-src-a");
        await Source("t-src-b", second: true);
        var response = await Create(TaskBodies.Full("task-create", env, "t-src-a", "t-src-b"));
        Assert.True(response.Code == 201, response.ToString());
        Assert.Equal("pre-check is passed. ", response.Json!["check_result"]!.GetValue<string>());
        Assert.Equal("******", response.Json["task"]!["target_config"]!["password"]!.GetValue<string>());
        Assert.DoesNotContain(env.Target.Password, response.Body);

        var get = await Api.Get("/api/v1/tasks/task-create?with_status=true");
        Assert.Equal(200, get.Code);
        Assert.Equal("full", get.Json!["task_mode"]!.GetValue<string>());
        var status = get.Json["status_list"]!.AsArray();
        Assert.Equal(2, status.Count);
        Assert.All(status, s => Assert.Equal("Stopped", s!["stage"]!.GetValue<string>()));

        var duplicate = await Create(TaskBodies.Full("task-create", env, "t-src-a"));
        Assert.Equal(46014, duplicate.ErrorCode);
    }

    [Fact]
    public async Task CreateDefaultsMetaSchemaToDmMeta()
    {
        await Source("t-src-meta");
        var task = TaskBodies.Full("task-meta", env, "t-src-meta");
        task.Remove("meta_schema");
        Assert.Equal(201, (await Create(task)).Code);
        Assert.Equal("dm_meta", (await Api.Get("/api/v1/tasks/task-meta")).Json!["meta_schema"]!.GetValue<string>());
    }

    [Fact]
    public async Task Optimistic_and_pessimistic_tasks_are_accepted()
    {
        await Source("t-src-shard");
        var task = TaskBodies.Full("task-shard-optimistic", env, "t-src-shard");
        task["shard_mode"] = "optimistic";
        task["strict_optimistic_shard_mode"] = true;
        var accepted = await Create(task);
        Assert.True((int)accepted.Status == 201, $"an optimistic task is created: {accepted.Json}");
        var stored = (await Api.Get("/api/v1/tasks/task-shard-optimistic")).Json!;
        Assert.Equal("optimistic", stored["shard_mode"]!.GetValue<string>());
        Assert.True(stored["strict_optimistic_shard_mode"]!.GetValue<bool>());

        var pessimistic = TaskBodies.Full("task-shard-pessimistic", env, "t-src-shard");
        pessimistic["shard_mode"] = "pessimistic";
        var created = await Create(pessimistic);
        Assert.True((int)created.Status == 201, $"a pessimistic task is created: {created.Json}");
        Assert.Equal("pessimistic", (await Api.Get("/api/v1/tasks/task-shard-pessimistic")).Json!["shard_mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task InvalidTasksAreRefusedAndNotStored()
    {
        await Source("t-src-bad");
        var missingSource = await Create(TaskBodies.Full("task-bad-1", env, "no-such-source"));
        Assert.Equal(46008, missingSource.ErrorCode);

        var badEnum = TaskBodies.Full("task-bad-2", env, "t-src-bad");
        badEnum["task_mode"] = "sideways";
        var r = await Create(badEnum);
        Assert.Equal(400, r.Code);
        Assert.Contains("task_mode", r.ErrorMessage);

        var unknownFilter = TaskBodies.Full("task-bad-3", env, "t-src-bad");
        unknownFilter.Remove("binlog_filter_rule");
        r = await Create(unknownFilter);
        Assert.Equal(400, r.Code);
        Assert.Contains("no-drop", r.ErrorMessage);

        var badTarget = TaskBodies.Full("task-bad-4", env, "t-src-bad");
        badTarget["target_config"]!["port"] = 1;
        r = await Create(badTarget);
        Assert.Equal(400, r.Code);
        Assert.Equal(26002, r.ErrorCode); // the pre-check cannot open the target

        var missingRequired = TaskBodies.Full("task-bad-5", env, "t-src-bad");
        missingRequired.Remove("on_duplicate");
        r = await Create(missingRequired);
        Assert.Equal(400, r.Code);
        Assert.Contains("on_duplicate", r.ErrorMessage);

        var badSession = TaskBodies.Full("task-bad-6", env, "t-src-bad");
        badSession["target_config"]!["session"] = new JsonObject { ["sql_mode"] = "" };
        Assert.Equal(400, (await Create(badSession)).Code);

        for (var i = 1; i <= 6; i++) Assert.Equal(46018, (await Api.Get($"/api/v1/tasks/task-bad-{i}")).ErrorCode);
    }

    [Fact]
    public async Task ListFiltersByStageAndSources()
    {
        await Source("t-src-l1");
        await Source("t-src-l2", second: true);
        Assert.Equal(201, (await Create(TaskBodies.Full("task-list-1", env, "t-src-l1"))).Code);
        Assert.Equal(201, (await Create(TaskBodies.Full("task-list-2", env, "t-src-l1", "t-src-l2"))).Code);

        var all = await Api.Get("/api/v1/tasks");
        var names = all.Json!["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("task-list-1", names);
        Assert.Contains("task-list-2", names);
        Assert.Null(all.Json["data"]![0]!["status_list"]);

        var bySources = await Api.Get("/api/v1/tasks?source_name_list=t-src-l1&source_name_list=t-src-l2");
        Assert.Equal(["task-list-2"], bySources.Json!["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList());

        var stopped = await Api.Get("/api/v1/tasks?stage=Stopped&with_status=true");
        Assert.Contains(stopped.Json!["data"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "task-list-1");
        Assert.NotNull(stopped.Json["data"]![0]!["status_list"]);
        Assert.Equal(400, (await Api.Get("/api/v1/tasks?stage=Sleeping")).Code);
        Assert.Equal(400, (await Api.Get("/api/v1/tasks?with_status=yes")).Code);
    }

    [Fact]
    public async Task StartStopAndTheirChecks()
    {
        await Source("t-src-run");
        await Source("t-src-off", enable: false);
        Assert.Equal(201, (await Create(TaskBodies.Full("task-run", env, "t-src-run"))).Code);

        Assert.Equal(200, (await Api.Post("/api/v1/tasks/task-run/start")).Code);
        Assert.Equal(200, (await Api.Post("/api/v1/tasks/task-run/start", new { remove_meta = false, start_time = "2026-01-02 15:04:05", safe_mode_time_duration = "10s" })).Code);
        Assert.Equal(400, (await Api.Post("/api/v1/tasks/task-run/start", new { start_time = "yesterday" })).Code);
        Assert.Equal(400, (await Api.Post("/api/v1/tasks/task-run/start", new { safe_mode_time_duration = "ten seconds" })).Code);
        Assert.Equal(46008, (await Api.Post("/api/v1/tasks/task-run/start", new { source_name_list = new[] { "other" } })).ErrorCode);
        Assert.Equal(46018, (await Api.Post("/api/v1/tasks/no-such-task/start")).ErrorCode);

        // Expected Running, but no worker runs it yet: status says Stopped.
        var status = await Api.Get("/api/v1/tasks/task-run/status");
        Assert.Equal(200, status.Code);
        Assert.Equal("Stopped", status.Json!["data"]![0]!["stage"]!.GetValue<string>());
        Assert.Equal("t-src-run", status.Json["data"]![0]!["source_name"]!.GetValue<string>());
        Assert.Equal(0, (await Api.Get("/api/v1/tasks/task-run/status?source_name_list=other")).Json!["total"]!.GetValue<int>());
        Assert.Equal(46018, (await Api.Get("/api/v1/tasks/no-such-task/status")).ErrorCode);

        Assert.Equal(200, (await Api.Post("/api/v1/tasks/task-run/stop", new { timeout_duration = "15s" })).Code);
        Assert.Equal(400, (await Api.Post("/api/v1/tasks/task-run/stop", new { timeout_duration = "soon" })).Code);

        Assert.Equal(201, (await Create(TaskBodies.Full("task-off", env, "t-src-off"))).Code);
        Assert.Equal(38058, (await Api.Post("/api/v1/tasks/task-off/start")).ErrorCode);

        Assert.Equal(201, (await Create(TaskBodies.Task("task-incr", "incremental", env, "t-src-run"))).Code);
        Assert.Equal(20022, (await Api.Post("/api/v1/tasks/task-incr/start")).ErrorCode);
        Assert.Equal(200, (await Api.Post("/api/v1/tasks/task-incr/start", new { start_time = "2026-01-02T15:04:05" })).Code);
    }

    [Fact]
    public async Task A_task_file_is_stored_with_its_password_hidden_and_an_update_cannot_change_the_fields_alone()
    {
        await Source("t-src-file");
        var body = TaskBodies.Full("task-file", env, "t-src-file");
        var converted = await Api.Post("/api/v1/tasks/converters", new JsonObject { ["task"] = body.DeepClone() }.ToJsonString());
        Assert.True(converted.Code == 200, converted.ToString());
        var yaml = "# kept as given\n" + converted.Json!["task_config_file"]!.GetValue<string>()
            .Replace("password: \"******\"", $"password: \"{env.Target.Password}\"").Replace("password: '******'", $"password: \"{env.Target.Password}\"");
        body["task_config_file"] = yaml;
        var created = await Create(body.DeepClone().AsObject());
        Assert.True(created.Code == 201, created.ToString());
        var stored = (await Api.Get("/api/v1/tasks/task-file")).Json!["task_config_file"]!.GetValue<string>();
        Assert.StartsWith("# kept as given\n", stored);
        Assert.DoesNotContain(env.Target.Password, stored);

        var changed = body.DeepClone().AsObject();
        changed["on_duplicate"] = "ignore";
        var refused = await Api.Put("/api/v1/tasks/task-file", new JsonObject { ["task"] = changed.DeepClone() }.ToJsonString());
        Assert.Equal(49001, refused.ErrorCode);
        Assert.Contains("task_config_file did not", refused.Body);
        changed.Remove("task_config_file");
        var fieldsOnly = await Api.Put("/api/v1/tasks/task-file", new JsonObject { ["task"] = changed }.ToJsonString());
        Assert.True(fieldsOnly.Code == 200, fieldsOnly.ToString());
        Assert.Null((await Api.Get("/api/v1/tasks/task-file")).Json!["task_config_file"]);
    }

    [Fact]
    public async Task UpdateOnlyWhileNotRunningAndNotImmutableFields()
    {
        await Source("t-src-upd");
        Assert.Equal(201, (await Create(TaskBodies.Full("task-upd", env, "t-src-upd"))).Code);
        var changed = TaskBodies.Full("task-upd", env, "t-src-upd");
        changed["on_duplicate"] = "ignore";
        var update = await Api.Put("/api/v1/tasks/task-upd", new JsonObject { ["task"] = changed }.ToJsonString());
        Assert.True(update.Code == 200, update.ToString());
        Assert.Equal("ignore", (await Api.Get("/api/v1/tasks/task-upd")).Json!["on_duplicate"]!.GetValue<string>());

        var timezone = TaskBodies.Full("task-upd", env, "t-src-upd");
        timezone["timezone"] = "Asia/Shanghai";
        var refused = await Api.Put("/api/v1/tasks/task-upd", new JsonObject { ["task"] = timezone }.ToJsonString());
        Assert.Equal(46035, refused.ErrorCode);

        Assert.Equal(200, (await Api.Post("/api/v1/tasks/task-upd/start")).Code);
        var running = await Api.Put("/api/v1/tasks/task-upd", new JsonObject { ["task"] = changed.DeepClone() }.ToJsonString());
        Assert.Equal(46035, running.ErrorCode);

        var missing = TaskBodies.Full("no-such-task", env, "t-src-upd");
        Assert.Equal(46018, (await Api.Put("/api/v1/tasks/no-such-task", new JsonObject { ["task"] = missing }.ToJsonString())).ErrorCode);
    }

    [Fact]
    public async Task DeleteNeedsForceWhileRunningAndDropsMetaUnlessKept()
    {
        await Source("t-src-delete");
        Assert.Equal(201, (await Create(TaskBodies.Full("task-delete", env, "t-src-delete"))).Code);
        Assert.Equal(201, (await Create(TaskBodies.Full("task-keep", env, "t-src-delete"))).Code);
        await env.Target.ExecuteAsync("""
            CREATE DATABASE IF NOT EXISTS dm_meta;
            CREATE TABLE IF NOT EXISTS dm_meta.`task-delete_syncer_checkpoint` (id INT);
            CREATE TABLE IF NOT EXISTS dm_meta.`task-keep_syncer_checkpoint` (id INT);
            """);

        Assert.Equal(200, (await Api.Post("/api/v1/tasks/task-delete/start")).Code);
        var refused = await Api.Delete("/api/v1/tasks/task-delete");
        Assert.Equal(400, refused.Code);
        Assert.Contains("running subtasks", refused.ErrorMessage);

        Assert.Equal(204, (await Api.Delete("/api/v1/tasks/task-delete?force=true")).Code);
        Assert.Equal(46018, (await Api.Get("/api/v1/tasks/task-delete")).ErrorCode);
        Assert.Equal(0L, Convert.ToInt64(await env.Target.ScalarAsync(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='dm_meta' AND TABLE_NAME='task-delete_syncer_checkpoint'")));

        Assert.Equal(204, (await Api.Delete("/api/v1/tasks/task-keep?keep_meta=true")).Code);
        Assert.Equal(1L, Convert.ToInt64(await env.Target.ScalarAsync(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='dm_meta' AND TABLE_NAME='task-keep_syncer_checkpoint'")));
        Assert.Equal(46018, (await Api.Delete("/api/v1/tasks/task-keep")).ErrorCode);
    }

    [Fact]
    public async Task MigrateTargetsFollowTheTaskRulesAndSchemaListsNeedAWorker()
    {
        await Source("t-src-rules");
        Assert.Equal(201, (await Create(TaskBodies.Full("task-rules", env, "t-src-rules"))).Code);

        var targets = await Api.Get("/api/v1/tasks/task-rules/sources/t-src-rules/migrate_targets");
        Assert.Equal(200, targets.Code);
        var rows = targets.Json!["data"]!.AsArray()
            .Select(t => $"{t!["source_schema"]}.{t["source_table"]}->{t["target_schema"]}.{t["target_table"]}").Order().ToList();
        Assert.Equal(
        [
            "logs.events_2024->logs.events", "logs.events_2025->logs.events",
            "shop.customers->shop_all.customers", "shop.orders->shop_all.orders",
        ], rows);
        Assert.Equal(rows.Count, targets.Json["total"]!.GetValue<int>());

        var filtered = await Api.Get("/api/v1/tasks/task-rules/sources/t-src-rules/migrate_targets?schema_pattern=shop&table_pattern=ord*");
        Assert.Equal(1, filtered.Json!["total"]!.GetValue<int>());

        // Schema and table lists come from the schema tracker of the worker running the subtask: none is bound here.
        Assert.Equal(40070, (await Api.Get("/api/v1/tasks/task-rules/sources/t-src-rules/schemas")).ErrorCode);
        Assert.Equal(40070, (await Api.Get("/api/v1/tasks/task-rules/sources/t-src-rules/schemas/logs")).ErrorCode);

        Assert.Equal(46018, (await Api.Get("/api/v1/tasks/nope/sources/t-src-rules/migrate_targets")).ErrorCode);
        Assert.Equal(46008, (await Api.Get("/api/v1/tasks/task-rules/sources/nope/schemas")).ErrorCode);
    }

    [Fact]
    public async Task TableStructureNeedsABoundWorkerAndAValidBody()
    {
        await Source("t-src-struct");
        Assert.Equal(201, (await Create(TaskBodies.Full("task-struct", env, "t-src-struct"))).Code);
        const string path = "/api/v1/tasks/task-struct/sources/t-src-struct/schemas/shop/orders";
        Assert.Equal(40070, (await Api.Get(path)).ErrorCode);
        Assert.Equal(40070, (await Api.Delete(path)).ErrorCode);
        Assert.Equal(40070, (await Api.Put(path, new { sql_content = "CREATE TABLE orders (id INT PRIMARY KEY)" })).ErrorCode);
        Assert.Equal(400, (await Api.Put(path, new { schema_source = "sql" })).Code);
        Assert.Equal(400, (await Api.Put(path, new { schema_source = "upstream", sql_content = "CREATE TABLE t (id INT)" })).Code);
        Assert.Equal(400, (await Api.Put(path, new { schema_source = "elsewhere" })).Code);
        Assert.Equal(400, (await Api.Put(path)).Code);
        Assert.Equal(46018, (await Api.Get("/api/v1/tasks/nope/sources/t-src-struct/schemas/shop/orders")).ErrorCode);
        Assert.Equal(46008, (await Api.Get("/api/v1/tasks/task-struct/sources/nope/schemas/shop/orders")).ErrorCode);
    }

    [Fact]
    public async Task ConvertersTurnTaskJsonIntoDmYamlAndBack()
    {
        await Source("t-src-conv");
        var toYaml = await Api.Post("/api/v1/tasks/converters", new JsonObject { ["task"] = TaskBodies.Full("task-conv", env, "t-src-conv") }.ToJsonString());
        Assert.True(toYaml.Code == 200, toYaml.ToString());
        var yaml = toYaml.Json!["task_config_file"]!.GetValue<string>();
        Assert.Contains("name: task-conv", yaml);
        Assert.Contains("task-mode: full", yaml);
        Assert.Contains("mysql-instances:", yaml);
        Assert.Contains("source-id: t-src-conv", yaml);
        Assert.Contains("target-schema: shop_all", yaml);
        Assert.Equal("******", toYaml.Json["task"]!["target_config"]!["password"]!.GetValue<string>());

        var back = await Api.Post("/api/v1/tasks/converters", new { task_config_file = yaml });
        Assert.True(back.Code == 200, back.ToString());
        var task = back.Json!["task"]!;
        Assert.Equal("task-conv", task["name"]!.GetValue<string>());
        Assert.Equal("full", task["task_mode"]!.GetValue<string>());
        Assert.Equal("t-src-conv", task["source_config"]!["source_conf"]![0]!["source_name"]!.GetValue<string>());
        var rules = task["table_migrate_rule"]!.AsArray();
        Assert.Contains(rules, r => r!["target"]?["schema"]?.GetValue<string>() == "shop_all");
        // Keys the OpenAPI task has no field for travel in its task_config_file (as dmctl start-task sends them).
        var withCompact = yaml.Replace("compact: false", "compact: true");
        Assert.Contains("compact: true", withCompact);
        var carried = await Api.Post("/api/v1/tasks/converters", new { task_config_file = withCompact });
        Assert.True(carried.Code == 200, carried.ToString());
        var file = carried.Json!["task"]!["task_config_file"]!.GetValue<string>();
        Assert.Contains("compact: true", file);
        Assert.Contains("source-id: t-src-conv", file);
        Assert.DoesNotContain(env.Target.Password, file);

        Assert.Equal(400, (await Api.Post("/api/v1/tasks/converters", new { })).Code);
        Assert.Equal(400, (await Api.Post("/api/v1/tasks/converters")).Code);
        var badYaml = await Api.Post("/api/v1/tasks/converters", new { task_config_file = "name: x\ntask-mode: all\nno-such-key: 1\n" });
        Assert.Equal(400, badYaml.Code);
        Assert.Contains("no-such-key", badYaml.ErrorMessage);
        var unknownSource = await Api.Post("/api/v1/tasks/converters", new JsonObject { ["task"] = TaskBodies.Full("task-conv-2", env, "nope") }.ToJsonString());
        Assert.Equal(46008, unknownSource.ErrorCode);
    }

    [Fact]
    public async Task ATargetWithoutPrivilegesIsWarnedAboutByThePreCheck()
    {
        await Source("t-src-priv");
        await env.Target.ExecuteAsync("""
            CREATE USER IF NOT EXISTS 'reader'@'%' IDENTIFIED BY 'reader-pass';
            GRANT SELECT ON *.* TO 'reader'@'%';
            """);
        var task = TaskBodies.Full("task-priv", env, "t-src-priv");
        task["target_config"]!["user"] = "reader";
        task["target_config"]!["password"] = "reader-pass";
        // As in DM, missing target privileges are a warning of the pre-check, named in check_result.
        var response = await Create(task);
        Assert.Equal(201, response.Code);
        var check = response.Json!["check_result"]!.GetValue<string>();
        Assert.Contains("no errors but some warnings", check);
        Assert.Contains("target db privilege", check);
        Assert.Contains("INSERT", check, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task EmptyIgnoredCheckingItemsAndOverwriteAreAcceptedAsDmDoes()
    {
        await Source("t-src-compat");
        var task = TaskBodies.Full("task-compat", env, "t-src-compat");
        // DM skips empty names in ignore_checking_items, and its OpenAPI guide still writes on_duplicate "overwrite" (replace).
        task["ignore_checking_items"] = new JsonArray("version", "");
        task["on_duplicate"] = "overwrite";
        var response = await Create(task);
        Assert.True(response.Code == 201, response.ToString());
        Assert.Equal("replace", response.Json!["task"]!["on_duplicate"]!.GetValue<string>());
        Assert.Equal("replace", (await Api.Get("/api/v1/tasks/task-compat")).Json!["on_duplicate"]!.GetValue<string>());

        var unknown = TaskBodies.Full("task-compat-2", env, "t-src-compat");
        unknown["ignore_checking_items"] = new JsonArray("versoin");
        Assert.Equal(400, (await Create(unknown)).Code);
    }

    [Fact]
    public async Task ASourceCanBeCreatedWithItsFieldsAtTheTopLevelAsDmsGuideWritesIt()
    {
        var body = MasterEnvironment.SourceBody("t-src-flat", env.Upstream1, enable: true);
        var response = await Api.Post("/api/v1/sources", body);
        Assert.True(response.Code == 201, response.ToString());
        Assert.Equal("t-src-flat", response.Json!["source_name"]!.GetValue<string>());
        Assert.Equal("******", response.Json["password"]!.GetValue<string>());
        // Neither form: the spec's form judges it, naming the missing field.
        var neither = await Api.Post("/api/v1/sources", new { host = "127.0.0.1" });
        Assert.Equal(400, neither.Code);
        Assert.Contains("source", neither.Body);
    }

    [Fact]
    public async Task NamesThatWouldBeCutInCheckpointsAreRefusedNeverTruncated()
    {
        // A source id is its checkpoint rows' id (32 characters in DM's tables): DM's 40006 beyond that.
        var longSource = new string('s', 33);
        var source = await Api.Post("/api/v1/sources", new { source = MasterEnvironment.SourceBody(longSource, env.Upstream1, enable: true) });
        Assert.Equal(40006, source.ErrorCode);
        Assert.Contains(longSource, source.Body);
        Assert.Equal(404, (await Api.Get($"/api/v1/sources/{longSource}")).Code);

        // A task's meta tables are named after it: `<name>_lightning_checkpoint_list` must fit MySQL's 64 characters.
        await Source("t-src-names");
        var longTask = new string('t', 39);
        var task = await Create(TaskBodies.Full(longTask, env, "t-src-names"));
        Assert.Equal(400, task.Code);
        Assert.Contains("at most 38", task.Body);
        Assert.Equal(201, (await Create(TaskBodies.Full(new string('t', 38), env, "t-src-names"))).Code);
    }
}
