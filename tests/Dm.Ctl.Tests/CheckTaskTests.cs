namespace Dm.Ctl.Tests;

/// <summary>
/// check-task against real upstreams and target: a good task.yaml passes, each kind of failing item is named,
/// and nothing is created either way.
/// </summary>
[Collection(CtlCollection.Name)]
public sealed class CheckTaskTests(CtlEnvironment env)
{
    private async Task<string[]> Sources(string dir, params (string Id, Dm.TestKit.MariaDbServer Server, string? User, string? Password)[] sources)
    {
        var files = sources.Select((s, i) =>
        {
            var yaml = SampleConfigs.Source(s.Id, s.Server);
            if (s.User != null) yaml = yaml.Replace($"user: \"{s.Server.User}\"", $"user: \"{s.User}\"").Replace($"password: \"{s.Server.Password}\"", $"password: \"{s.Password}\"");
            return env.WriteFile($"{dir}/source-{i}.yaml", yaml);
        }).ToArray();
        (await env.Dmctl(["operate-source", "create", .. files])).Ok();
        return files;
    }

    private async Task AssertNoTask(string name) => Assert.Contains(name, (await env.Dmctl("query-status", name)).Failed(46018));

    [Fact]
    public async Task GoodTaskPassesAndCreatesNothing()
    {
        await Sources("check-good", ("k-good-1", env.Upstream1, null, null), ("k-good-2", env.Upstream2, null, null));
        var file = env.WriteFile("check-good/task.yaml", SampleConfigs.Task("kgood", env.Target, "all", "k-good-1", "k-good-2"));

        var run = await env.Dmctl("check-task", file);
        Assert.Equal("pre-check is passed. ", run.Ok()["msg"]!.GetValue<string>());
        Assert.Equal(["result", "msg"], run.Json.Select(p => p.Key));
        (await env.Dmctl("check-task", file, "--error", "1", "-w", "0", "--start-time", "2026-01-02 15:04:05")).Ok();
        await AssertNoTask("kgood");
        var summary = (await env.Dmctl("query-status")).Ok();
        Assert.DoesNotContain(summary["tasks"]!.AsArray(), t => t!["taskName"]!.GetValue<string>() == "kgood");

        // The same file then starts as checked.
        (await env.Dmctl("start-task", file)).Ok();
        (await env.Dmctl("stop-task", "kgood")).Ok();
    }

    [Fact]
    public async Task SourceWithoutReplicationPrivilegeFailsNamingTheItem()
    {
        await env.Upstream1.ExecuteAsync("""
            CREATE USER IF NOT EXISTS 'ctl_weak'@'%' IDENTIFIED BY 'weak-pass';
            GRANT SELECT, RELOAD ON *.* TO 'ctl_weak'@'%';
            """);
        await Sources("check-priv", ("k-priv", env.Upstream1, "ctl_weak", "weak-pass"));
        var file = env.WriteFile("check-priv/task.yaml", SampleConfigs.Task("kpriv", env.Target, "all", "k-priv"));

        var msg = (await env.Dmctl("check-task", file)).Failed(26005);
        Assert.Contains("source db replication privilege checker", msg);
        Assert.Contains("REPLICATION", msg);
        Assert.Contains("binlog_do_db/binlog_ignore_db check", msg); // SHOW MASTER STATUS needs BINLOG MONITOR too
        Assert.True(msg.Contains("\"failed\": 2"), msg);
        Assert.DoesNotContain("source db dump privilege checker", msg);
        await AssertNoTask("kpriv");

        // --error 0 shows no failed item but still fails and counts them.
        var hidden = (await env.Dmctl("check-task", file, "--error", "0")).Failed(26005);
        Assert.DoesNotContain("source db replication privilege checker", hidden);
        Assert.Contains("\"failed\": 2", hidden);

        // Ignoring the item lets the same task pass.
        var ignoring = env.WriteFile("check-priv/ignoring.yaml", SampleConfigs.Task("kpriv", env.Target, "all", "k-priv")
            .Replace("online-ddl: true", "online-ddl: true\nignore-checking-items: [\"replication_privilege\", \"binlog_db\"]"));
        (await env.Dmctl("check-task", ignoring)).Ok();
        await AssertNoTask("kpriv");
    }

    [Fact]
    public async Task StatementBinlogFormatFailsNamingTheItem()
    {
        await Sources("check-format", ("k-format", env.Upstream2, null, null));
        var file = env.WriteFile("check-format/task.yaml", SampleConfigs.Task("kformat", env.Target, "incremental", "k-format"));
        await env.Upstream2.ExecuteAsync("SET GLOBAL binlog_format = 'STATEMENT'");
        try
        {
            var msg = (await env.Dmctl("check-task", file, "--start-time", "2026-01-02 15:04:05")).Failed(26005);
            Assert.Contains("mysql_binlog_format", msg);
            Assert.Contains("STATEMENT", msg);
        }
        finally
        {
            await env.Upstream2.ExecuteAsync("SET GLOBAL binlog_format = 'ROW'");
        }
        // A full copy does not read the binlog: the same source passes in that mode.
        (await env.Dmctl("check-task", env.WriteFile("check-format/full.yaml", SampleConfigs.Task("kformat", env.Target, "full", "k-format")))).Ok();
        await AssertNoTask("kformat");
    }

    [Fact]
    public async Task TablePatternMatchingNothingFailsUnlessTheItemIsIgnored()
    {
        await Sources("check-empty", ("k-empty", env.Upstream1, null, null));
        var yaml = SampleConfigs.Task("kempty", env.Target, "all", "k-empty")
            .Replace("do-dbs: [\"shop\", \"logs\"]", "do-tables:\n    - db-name: \"shop\"\n      tbl-name: \"no_such_*\"");
        var msg = (await env.Dmctl("check-task", env.WriteFile("check-empty/task.yaml", yaml))).Failed(26005);
        Assert.Contains("source tables to migrate", msg);
        Assert.Contains("source k-empty matches no table", msg);

        // Incremental tasks may wait for tables created later: a warning, and the check passes.
        var incremental = (await env.Dmctl("check-task", env.WriteFile("check-empty/incr.yaml", yaml.Replace("task-mode: \"all\"", "task-mode: \"incremental\"")),
            "--start-time", "2026-01-02 15:04:05")).Ok()["msg"]!.GetValue<string>();
        Assert.Contains("no errors but some warnings", incremental);
        Assert.Contains("source k-empty matches no table", incremental);

        var ignored = yaml.Replace("online-ddl: true", "online-ddl: true\nignore-checking-items: [\"table_schema\"]");
        (await env.Dmctl("check-task", env.WriteFile("check-empty/ignored.yaml", ignored))).Ok();

        // A pattern that does match passes.
        var matching = yaml.Replace("no_such_*", "ord*");
        Assert.Equal("pre-check is passed. ", (await env.Dmctl("check-task", env.WriteFile("check-empty/matching.yaml", matching))).Ok()["msg"]!.GetValue<string>());
        await AssertNoTask("kempty");
    }

    [Fact]
    public async Task BadFilesUnknownSourcesAndMissingMetaAreRefused()
    {
        var typo = env.WriteFile("check-bad/typo.yaml", SampleConfigs.Task("kbad", env.Target, "all", "k-none").Replace("online-ddl: true", "online-ddl: true\nonline-dll: true"));
        var msg = (await env.Dmctl("check-task", typo)).Failed(20003);
        Assert.Contains("online-dll", msg);
        Assert.Contains("line 7", msg);
        Assert.Contains(typo, msg);

        var noSource = env.WriteFile("check-bad/nosrc.yaml", SampleConfigs.Task("kbad", env.Target, "all", "k-none"));
        Assert.Contains("k-none", (await env.Dmctl("check-task", noSource)).Failed(46008));

        await Sources("check-bad", ("k-incr", env.Upstream1, null, null));
        var incremental = env.WriteFile("check-bad/incr.yaml", SampleConfigs.Task("kbad", env.Target, "incremental", "k-incr"));
        Assert.Contains("k-incr", (await env.Dmctl("check-task", incremental)).Failed(20022));
        Assert.Contains("start_time", (await env.Dmctl("check-task", incremental, "--start-time", "yesterday")).Failed(49001));
        Assert.Contains("exactly one", (await env.Dmctl("check-task")).Failed(49001));
        Assert.Contains("--error", (await env.Dmctl("check-task", incremental, "--error", "-1")).Failed(49001));
        await AssertNoTask("kbad");
    }
}
