using System.Text.Json.Nodes;

namespace Dm.Master.Tests;

[Collection(MasterCollection.Name)]
public sealed class SourceApiTests(MasterEnvironment env)
{
    private ApiClient Api => env.Api;

    private async Task<string> CreateSource(string name, bool enable = true)
    {
        var response = await Api.Post("/api/v1/sources", new { source = MasterEnvironment.SourceBody(name, env.Upstream1, enable) });
        Assert.True(response.Code == 201, response.ToString());
        return name;
    }

    [Fact]
    public async Task CreateDetectsFlavorAndNeverReturnsThePassword()
    {
        var response = await Api.Post("/api/v1/sources", new { source = MasterEnvironment.SourceBody("src-create", env.Upstream1) });
        Assert.Equal(201, response.Code);
        Assert.Equal("src-create", response.Json!["source_name"]!.GetValue<string>());
        Assert.Equal("******", response.Json["password"]!.GetValue<string>());
        Assert.Equal("mariadb", response.Json["flavor"]!.GetValue<string>());
        Assert.DoesNotContain(env.Upstream1.Password, response.Body);

        var get = await Api.Get("/api/v1/sources/src-create");
        Assert.Equal(200, get.Code);
        Assert.Equal("******", get.Json!["password"]!.GetValue<string>());
        Assert.Equal(env.Upstream1.Port, get.Json["port"]!.GetValue<int>());
        Assert.Null(get.Json["status_list"]);
    }

    [Fact]
    public async Task ARelayStartGtidOfTheOtherFlavorIsRefusedWhenItWouldBeUsed()
    {
        // DM's OpenAPI example stores a MySQL set; on this MariaDB source the relay would start from it with enable_gtid.
        const string mySqlSet = "e9a1fc22-ec08-11e9-b2ac-0242ac110003:1-7849";
        JsonObject Body(string name, bool enableGtid, string? binlogName)
        {
            var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(MasterEnvironment.SourceBody(name, env.Upstream1)))!.AsObject();
            body["enable_gtid"] = enableGtid;
            body["relay_config"] = new JsonObject { ["relay_binlog_gtid"] = mySqlSet, ["relay_binlog_name"] = binlogName };
            return body;
        }
        var refused = await Api.Post("/api/v1/sources", new JsonObject { ["source"] = Body("src-gtid-bad", true, "mysql-bin.000001") }.ToJsonString());
        Assert.Equal(400, refused.Code);
        Assert.Equal(11012, refused.ErrorCode);
        Assert.Contains("relay_binlog_gtid " + mySqlSet, refused.ErrorMessage);
        // Without a binlog name the relay starts from the GTID set even with enable_gtid off (as DM's relay does).
        Assert.Equal(11012, (await Api.Post("/api/v1/sources", new JsonObject { ["source"] = Body("src-gtid-bad", false, null) }.ToJsonString())).ErrorCode);
        Assert.Equal(404, (await Api.Get("/api/v1/sources/src-gtid-bad")).Code);

        // Not used (no GTID, a binlog name to start from): kept as given, as DM keeps it.
        var kept = await Api.Post("/api/v1/sources", new JsonObject { ["source"] = Body("src-gtid-kept", false, "mysql-bin.000001") }.ToJsonString());
        Assert.True(kept.Code == 201, kept.ToString());
        // Turning GTID on through an update would use it: refused, the stored source unchanged.
        var update = await Api.Put("/api/v1/sources/src-gtid-kept", new JsonObject { ["source"] = Body("src-gtid-kept", true, "mysql-bin.000001") }.ToJsonString());
        Assert.Equal(11012, update.ErrorCode);
        Assert.False((await Api.Get("/api/v1/sources/src-gtid-kept")).Json!["enable_gtid"]!.GetValue<bool>());
        Assert.Equal(204, (await Api.Delete("/api/v1/sources/src-gtid-kept")).Code);
    }

    [Fact]
    public async Task DuplicateSourceIsRefusedWith46007()
    {
        await CreateSource("src-dup");
        var again = await Api.Post("/api/v1/sources", new { source = MasterEnvironment.SourceBody("src-dup", env.Upstream2) });
        Assert.Equal(400, again.Code);
        Assert.Equal(46007, again.ErrorCode);
        Assert.Equal(env.Upstream1.Port, (await Api.Get("/api/v1/sources/src-dup")).Json!["port"]!.GetValue<int>());
    }

    [Fact]
    public async Task UnreachableOrBadlyAuthenticatedUpstreamIsRefusedAndNothingStored()
    {
        var unreachable = await Api.Post("/api/v1/sources", new
        {
            source = new { source_name = "src-unreachable", host = "127.0.0.1", port = 1, user = "root", password = "x", enable_gtid = false, enable = true },
        });
        Assert.Equal(400, unreachable.Code);
        Assert.Equal(10001, unreachable.ErrorCode);

        var wrongPassword = await Api.Post("/api/v1/sources", new
        {
            source = MasterEnvironment.SourceBody("src-badpass", env.Upstream1, password: "wrong-password"),
        });
        Assert.Equal(400, wrongPassword.Code);
        Assert.Contains("Access denied", wrongPassword.ErrorMessage);

        Assert.Equal(404, (await Api.Get("/api/v1/sources/src-unreachable")).Code);
        Assert.Equal(404, (await Api.Get("/api/v1/sources/src-badpass")).Code);
    }

    [Theory]
    [InlineData("", "source")]
    [InlineData("{}", "source")]
    [InlineData("""{"source":{"source_name":"s","host":"h","port":"3306","user":"u","enable_gtid":false,"enable":true}}""", "source.port")]
    [InlineData("""{"source":{"source_name":"s","host":"h","port":3306,"user":"u","enable_gtid":"no","enable":true}}""", "source.enable_gtid")]
    [InlineData("""{"source":{"source_name":"s","host":"h","port":3306,"user":"u","enable_gtid":false}}""", "source.enable")]
    [InlineData("""{"source":{"source_name":"","host":"h","port":3306,"user":"u","enable_gtid":false,"enable":true}}""", "source_name")]
    [InlineData("""{"source":{"source_name":"s","host":"h","port":70000,"user":"u","enable_gtid":false,"enable":true}}""", "port")]
    [InlineData("""{"source":{"source_name":"s","host":"h","port":3306,"user":"u","enable_gtid":false,"enable":true,"flavor":"oracle"}}""", "oracle")]
    [InlineData("""{"source": [1,2]}""", "source")]
    [InlineData("""{"source": {""", "malformed")]
    public async Task BadCreateBodiesNameTheField(string body, string expected)
    {
        var response = await Api.Post("/api/v1/sources", body.Length == 0 ? "" : body);
        Assert.Equal(400, response.Code);
        Assert.Contains(expected, response.ErrorMessage);
        Assert.True(response.ErrorCode > 0);
    }

    [Fact]
    public async Task ListShowsStatusAndTasksOnlyWhenAsked()
    {
        await CreateSource("src-list");
        var plain = await Api.Get("/api/v1/sources");
        Assert.Equal(200, plain.Code);
        var item = plain.Json!["data"]!.AsArray().Single(s => s!["source_name"]!.GetValue<string>() == "src-list")!;
        Assert.Null(item["status_list"]);
        Assert.Equal(plain.Json["data"]!.AsArray().Count, plain.Json["total"]!.GetValue<int>());

        var withStatus = await Api.Get("/api/v1/sources?with_status=true");
        item = withStatus.Json!["data"]!.AsArray().Single(s => s!["source_name"]!.GetValue<string>() == "src-list")!;
        Assert.Equal("", item["status_list"]![0]!["worker_name"]!.GetValue<string>());
        Assert.Equal("src-list", item["status_list"]![0]!["source_name"]!.GetValue<string>());
        Assert.NotNull(item["task_name_list"]);

        var relayOnly = await Api.Get("/api/v1/sources?enable_relay=true");
        Assert.DoesNotContain(relayOnly.Json!["data"]!.AsArray(), s => s!["source_name"]!.GetValue<string>() == "src-list");
        var noRelay = await Api.Get("/api/v1/sources?enable_relay=false");
        Assert.Contains(noRelay.Json!["data"]!.AsArray(), s => s!["source_name"]!.GetValue<string>() == "src-list");
    }

    [Fact]
    public async Task GetUnknownSourceIs404WithEmptyBody()
    {
        var response = await Api.Get("/api/v1/sources/no-such-source");
        Assert.Equal(404, response.Code);
        Assert.Equal("", response.Body);
    }

    [Fact]
    public async Task UpdateKeepsPasswordWhenAbsent()
    {
        await CreateSource("src-update");
        var body = new JsonObject
        {
            ["source"] = new JsonObject
            {
                ["source_name"] = "src-update", ["host"] = env.Upstream1.Host, ["port"] = env.Upstream1.Port,
                ["user"] = env.Upstream1.User, ["enable_gtid"] = false, ["enable"] = false,
            },
        };
        var update = await Api.Put("/api/v1/sources/src-update", body.ToJsonString());
        Assert.True(update.Code == 200, update.ToString());
        Assert.False(update.Json!["enable"]!.GetValue<bool>());
        // The upstream is still reachable with the kept password.
        var schemas = await Api.Get("/api/v1/sources/src-update/schemas");
        Assert.Equal(200, schemas.Code);

        var mismatch = await Api.Put("/api/v1/sources/src-update", new { source = MasterEnvironment.SourceBody("other-name", env.Upstream1) });
        Assert.Equal(400, mismatch.Code);
        var missing = await Api.Put("/api/v1/sources/no-such", new { source = MasterEnvironment.SourceBody("no-such", env.Upstream1) });
        Assert.Equal(46008, missing.ErrorCode);
        var noBody = await Api.Put("/api/v1/sources/src-update");
        Assert.Equal(400, noBody.Code);
    }

    [Fact]
    public async Task UpdateIsRefusedWhileATaskRunsOnTheSource()
    {
        await CreateSource("src-busy");
        Assert.Equal(201, (await Api.Post("/api/v1/tasks", new { task = TaskBodies.Full("task-on-busy", env, "src-busy") })).Code);
        Assert.Equal(200, (await Api.Post("/api/v1/tasks/task-on-busy/start")).Code);
        var update = await Api.Put("/api/v1/sources/src-busy", new { source = MasterEnvironment.SourceBody("src-busy", env.Upstream1) });
        Assert.Equal(400, update.Code);
        Assert.Equal(46025, update.ErrorCode);

        Assert.Equal(200, (await Api.Post("/api/v1/sources/src-busy/disable")).Code);
        var afterDisable = await Api.Put("/api/v1/sources/src-busy", new { source = MasterEnvironment.SourceBody("src-busy", env.Upstream1) });
        Assert.Equal(200, afterDisable.Code);
    }

    [Fact]
    public async Task DeleteRefusesWhileTasksUseItUnlessForced()
    {
        await CreateSource("src-del");
        Assert.Equal(201, (await Api.Post("/api/v1/tasks", new { task = TaskBodies.Full("task-on-del", env, "src-del") })).Code);
        var refused = await Api.Delete("/api/v1/sources/src-del");
        Assert.Equal(400, refused.Code);
        Assert.Equal(46010, refused.ErrorCode);
        Assert.Equal(200, (await Api.Get("/api/v1/sources/src-del")).Code);

        var forced = await Api.Delete("/api/v1/sources/src-del?force=true");
        Assert.Equal(204, forced.Code);
        Assert.Equal("", forced.Body);
        Assert.Equal(404, (await Api.Get("/api/v1/sources/src-del")).Code);
        Assert.Equal(46018, (await Api.Get("/api/v1/tasks/task-on-del")).ErrorCode);

        Assert.Equal(46008, (await Api.Delete("/api/v1/sources/src-del")).ErrorCode);
    }

    [Fact]
    public async Task StatusOfUnboundSourceHasNoWorker()
    {
        await CreateSource("src-status");
        var status = await Api.Get("/api/v1/sources/src-status/status");
        Assert.Equal(200, status.Code);
        Assert.Equal(1, status.Json!["total"]!.GetValue<int>());
        Assert.Equal("src-status", status.Json["data"]![0]!["source_name"]!.GetValue<string>());
        Assert.Equal("", status.Json["data"]![0]!["worker_name"]!.GetValue<string>());
        Assert.Equal(46008, (await Api.Get("/api/v1/sources/nope/status")).ErrorCode);
    }

    [Fact]
    public async Task EnableNeedsABoundWorkerAndDisableIsIdempotent()
    {
        await CreateSource("src-enable", enable: false);
        var enable = await Api.Post("/api/v1/sources/src-enable/enable");
        Assert.Equal(400, enable.Code);
        Assert.Equal(40070, enable.ErrorCode);

        await CreateSource("src-disable");
        Assert.Equal(200, (await Api.Post("/api/v1/sources/src-disable/disable")).Code);
        Assert.Equal(200, (await Api.Post("/api/v1/sources/src-disable/disable")).Code);
        Assert.False((await Api.Get("/api/v1/sources/src-disable")).Json!["enable"]!.GetValue<bool>());
        Assert.Equal(46008, (await Api.Post("/api/v1/sources/nope/disable")).ErrorCode);
        Assert.Equal(46008, (await Api.Post("/api/v1/sources/nope/enable")).ErrorCode);
    }

    [Fact]
    public async Task TransferAndRelayNeedKnownWorkers()
    {
        await CreateSource("src-transfer");
        var transfer = await Api.Post("/api/v1/sources/src-transfer/transfer", new { worker_name = "worker-x" });
        Assert.Equal(46004, transfer.ErrorCode);
        Assert.Equal(400, (await Api.Post("/api/v1/sources/src-transfer/transfer")).Code);
        Assert.Equal(400, (await Api.Post("/api/v1/sources/src-transfer/transfer", new { worker = "w" })).Code);
        Assert.Equal(46008, (await Api.Post("/api/v1/sources/nope/transfer", new { worker_name = "w" })).ErrorCode);

        Assert.Equal(40070, (await Api.Post("/api/v1/sources/src-transfer/relay/enable")).ErrorCode);
        Assert.Equal(46004, (await Api.Post("/api/v1/sources/src-transfer/relay/enable", new { worker_name_list = new[] { "worker-x" } })).ErrorCode);
        Assert.Equal(40070, (await Api.Post("/api/v1/sources/src-transfer/relay/disable")).ErrorCode);
        Assert.Equal(46004, (await Api.Post("/api/v1/sources/src-transfer/relay/disable", new { worker_name_list = new[] { "worker-x" } })).ErrorCode);

        Assert.Equal(400, (await Api.Post("/api/v1/sources/src-transfer/relay/purge")).Code);
        var purge = await Api.Post("/api/v1/sources/src-transfer/relay/purge", new { relay_binlog_name = "mysql-bin.000002" });
        Assert.Equal(400, purge.Code);
        Assert.Contains("enable-relay", purge.ErrorMessage);
        Assert.Null((await Api.Get("/api/v1/sources/src-transfer")).Json!["relay_config"]);
    }

    [Fact]
    public async Task SchemasAndTablesComeFromTheUpstream()
    {
        await CreateSource("src-schemas");
        var schemas = await Api.Get("/api/v1/sources/src-schemas/schemas");
        Assert.Equal(200, schemas.Code);
        var names = schemas.Json!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Contains("shop", names);
        Assert.Contains("db-with-dash", names);
        Assert.Contains("mysql", names); // DM lists SHOW DATABASES unfiltered

        var tables = await Api.Get("/api/v1/sources/src-schemas/schemas/shop");
        Assert.Equal(["customers", "orders"], tables.Json!.AsArray().Select(n => n!.GetValue<string>()).Order().ToList());

        var quoted = await Api.Get("/api/v1/sources/src-schemas/schemas/db-with-dash");
        Assert.Equal(["table`tick"], quoted.Json!.AsArray().Select(n => n!.GetValue<string>()).ToList());

        Assert.Equal(46008, (await Api.Get("/api/v1/sources/nope/schemas")).ErrorCode);
        Assert.Equal(46008, (await Api.Get("/api/v1/sources/nope/schemas/shop")).ErrorCode);
    }
}
