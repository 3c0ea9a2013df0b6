using Dm.TestKit;
using Dm.TestKit.DataComparison;

namespace Dm.IntegrationTests.Sync;

/// <summary>
/// task.yaml's <c>target-database.session</c>, given to dmctl start-task, is set on every connection DM# opens to the target
/// (as DM sets its DBConfig.Session): a trigger on the target records the session's lc_time_names and div_precision_increment
/// for every row the full copy and Sync write (a sql_mode is given too), and the rows end equal to the upstream's. A variable the target does not know
/// fails start-task with the server's error naming it; a source.yaml with <c>from.session</c> is refused by dmctl.
/// </summary>
public sealed class TargetSessionTests
{
    [Fact]
    public async Task Target_session_variables_are_set_on_every_target_connection_and_a_bad_one_is_refused()
    {
        await using var env = await SyncTestEnvironment.StartAsync("session-master", 151);
        await env.StartWorkerAsync("session-worker");
        await env.Upstream.ExecuteAsync("""
            CREATE DATABASE sess; CREATE TABLE sess.items (id INT PRIMARY KEY, note VARCHAR(20) NOT NULL);
            INSERT INTO sess.items VALUES (1, 'one'), (2, 'two');
            """);
        // The target table exists already, with a trigger that records the writing session's variables elsewhere (not sql_mode:
        // a trigger runs under the sql_mode of its creation).
        await env.Target.ExecuteAsync("""
            CREATE DATABASE sess; CREATE TABLE sess.items (id INT PRIMARY KEY, note VARCHAR(20) NOT NULL);
            CREATE DATABASE seen; CREATE TABLE seen.writes (id INT NOT NULL, mode VARCHAR(500) NOT NULL, prec INT NOT NULL);
            CREATE TRIGGER sess.record_session AFTER INSERT ON sess.items FOR EACH ROW
              INSERT INTO seen.writes VALUES (NEW.id, @@SESSION.lc_time_names, @@SESSION.div_precision_increment);
            """);
        string Yaml(string name, string session) => $"""
            name: "{name}"
            task-mode: all
            target-database:
              host: "{env.Target.Host}"
              port: {env.Target.Port}
              user: "{env.Target.User}"
              password: "{env.Target.Password}"
              session:
            {session}
            mysql-instances:
              - source-id: "{SyncTestEnvironment.SourceName}"
                block-allow-list: "only"
            block-allow-list:
              only:
                do-dbs: ["sess"]
            """;
        var dir = Directory.CreateTempSubdirectory("dm-session-").FullName;
        try
        {
            var bad = Path.Combine(dir, "bad.yaml");
            await File.WriteAllTextAsync(bad, Yaml("session-bad", "    no_such_variable: 1"));
            var refused = await DmctlRun.RunAsync(env.Env.Master, "start-task", bad);
            Assert.False(refused.ExitCode == 0 && refused.Json["result"]!.GetValue<bool>(), refused.ToString());
            Assert.Contains("no_such_variable", refused.Stdout);
            Assert.Contains("Unknown system variable", refused.Stdout);

            var source = Path.Combine(dir, "source.yaml");
            await File.WriteAllTextAsync(source, $"""
                source-id: other
                from:
                  host: "{env.Upstream.Host}"
                  port: {env.Upstream.Port}
                  user: "{env.Upstream.User}"
                  password: "{env.Upstream.Password}"
                  session:
                    sql_mode: ""
                """);
            var sourceRefused = await DmctlRun.RunAsync(env.Env.Master, "operate-source", "create", source);
            Assert.NotEqual(0, sourceRefused.ExitCode);
            Assert.Contains("from.session", sourceRefused.Stdout + sourceRefused.Stderr);

            var good = Path.Combine(dir, "good.yaml");
            await File.WriteAllTextAsync(good, Yaml("session-good",
                "    sql_mode: 'STRICT_ALL_TABLES,ALLOW_INVALID_DATES,NO_AUTO_VALUE_ON_ZERO,ERROR_FOR_DIVISION_BY_ZERO'\n" +
                "    lc_time_names: de_DE\n    div_precision_increment: 7"));
            (await DmctlRun.RunAsync(env.Env.Master, "start-task", good)).Ok();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        await env.WaitForSyncRunningAsync("session-good", TimeSpan.FromMinutes(2));
        await env.Upstream.ExecuteAsync("INSERT INTO sess.items VALUES (3, 'three'), (4, 'four'); UPDATE sess.items SET note = 'uno' WHERE id = 1;");
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            await env.AssertNotPausedAsync("session-good");
            return Convert.ToInt64(await env.Target.ScalarAsync("SELECT COUNT(*) FROM sess.items WHERE id = 4 OR note = 'uno'")) == 2;
        }, "the synced rows", TimeSpan.FromMinutes(1));

        // Every write, by Load and by Sync, ran under the task's session variables.
        Assert.Equal("1,2,3,4", Convert.ToString(await env.Target.ScalarAsync("SELECT GROUP_CONCAT(DISTINCT id ORDER BY id) FROM seen.writes")));
        Assert.Equal("de_DE:7", Convert.ToString(await env.Target.ScalarAsync("SELECT GROUP_CONCAT(DISTINCT CONCAT(mode, ':', prec)) FROM seen.writes")));
        await using var upstream = await env.Upstream.OpenAsync();
        await using var target = await env.Target.OpenAsync();
        await MigrationComparer.AssertSameAsync(upstream, target, [(("sess", "items"), ("sess", "items"))]);
    }
}
