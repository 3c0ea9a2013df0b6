using System.Diagnostics;
using System.Globalization;
using Dm.TestKit;
using MySqlConnector;
using Xunit.Abstractions;

namespace Dm.IntegrationTests;

/// <summary>
/// scripts/playground.sh as a new user runs it (with the suite's build): it brings up MariaDB upstream and
/// target, a master and a worker, and an `all` task that reaches Sync; a row written upstream shows up in
/// the target within a second; Ctrl-C (SIGINT) stops every process it started and keeps its work dir.
/// </summary>
public sealed class PlaygroundTests(ITestOutputHelper output)
{
    private const int SeedRows = 5000;

    [Fact]
    public async Task Playground_replicates_a_new_row_within_a_second_and_ctrl_c_stops_everything_it_started()
    {
        var work = Path.Combine(Path.GetTempPath(), "dm-testkit", $"playground-{Guid.NewGuid():N}"[..22]);
        var script = Path.Combine(RepositoryLayout.Root, "scripts", "playground.sh");
        // A terminal's foreground job has SIGINT at its default; a test host started in the background may
        // pass SIGINT on ignored, and bash cannot trap a signal ignored at entry. perl restores the default
        // and execs the script in its place (same pid).
        var playground = ChildProcess.Start("playground", "perl",
            ["-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\"", "bash", script],
            Path.Combine(work + "-test", "playground.out"),
            new Dictionary<string, string>
            {
                ["DM_PLAYGROUND_DIR"] = work,
                ["DM_PLAYGROUND_SKIP_BUILD"] = "1",
                ["DM_PLAYGROUND_ROWS"] = SeedRows.ToString(CultureInfo.InvariantCulture),
            },
            RepositoryLayout.Root);
        var pids = new List<(string Name, int Pid, string CommandLine)>();
        try
        {
            await WaitForOutputAsync(playground, "The task is in Sync", TimeSpan.FromSeconds(90));
            var env = ReadEnv(Path.Combine(work, "playground.env"));
            pids = File.ReadAllLines(Path.Combine(work, "pids")).Select(l => l.Split(' '))
                .Select(p => (p[0], int.Parse(p[1], CultureInfo.InvariantCulture), CommandLine(int.Parse(p[1], CultureInfo.InvariantCulture))))
                .ToList();
            Assert.Equal(["upstream-mariadbd", "target-mariadbd", "dm-master", "dm-worker"], pids.Select(p => p.Name));
            Assert.All(pids, p => Assert.False(string.IsNullOrEmpty(p.CommandLine), $"{p.Name} ({p.Pid}) is not running"));

            await using var upstream = await OpenAsync(env, "UPSTREAM_PORT");
            await using var target = await OpenAsync(env, "TARGET_PORT");
            Assert.Equal((long)SeedRows, await ScalarAsync(target, "SELECT COUNT(*) FROM shop.orders"));
            Assert.Equal(1000L, await ScalarAsync(target, "SELECT COUNT(*) FROM shop.customers"));

            // The first row after the copy is the first event Sync applies; the second shows the steady state.
            foreach (var attempt in new[] { "first", "second" })
            {
                var seenAfter = await ReplicationDelayAsync(upstream, target, TimeSpan.FromSeconds(1));
                Assert.True(seenAfter != null, $"the {attempt} row inserted upstream was not in the target within 1 s\n{playground.ReadLog()}");
                output.WriteLine($"{attempt} row replicated in {seenAfter!.Value.TotalMilliseconds:F0} ms");
            }

            // Ctrl-C: the script stops what it started and exits 130 (128 + SIGINT), as bash does.
            await ChildProcess.RunAsync("kill", ["-INT", playground.Pid.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
            using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
                await playground.WaitForExitAsync(exit.Token);
            Assert.Equal(130, playground.ExitCode);
            Assert.Contains("every process the playground started has exited", playground.ReadLog());
            foreach (var (name, pid, commandLine) in pids)
                Assert.False(CommandLine(pid) == commandLine, $"{name} ({pid}) still runs after Ctrl-C");
            // Nothing is removed: the servers' data and the logs stay for a re-run or a look.
            Assert.True(Directory.Exists(Path.Combine(work, "upstream", "data", "shop")));
            Assert.True(File.Exists(Path.Combine(work, "logs", "worker.log")));
        }
        finally
        {
            await playground.DisposeAsync();
            foreach (var (_, pid, commandLine) in pids)
                if (CommandLine(pid) == commandLine) Process.GetProcessById(pid).Kill();
            foreach (var dir in new[] { work, work + "-test" })
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Inserts a row upstream and polls the target for it; null if it did not arrive within <paramref name="limit"/>.</summary>
    private static async Task<TimeSpan?> ReplicationDelayAsync(MySqlConnection upstream, MySqlConnection target, TimeSpan limit)
    {
        var note = $"playground test {Guid.NewGuid():N}";
        await ExecuteAsync(upstream, $"INSERT INTO shop.orders (customer_id, amount, note) VALUES (42, 12.34, '{note}')");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await ScalarAsync(target, $"SELECT COUNT(*) FROM shop.orders WHERE note = '{note}' AND amount = 12.34") == 1)
                return clock.Elapsed;
            await Task.Delay(10);
        }
        return null;
    }

    private static async Task WaitForOutputAsync(ChildProcess process, string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var log = process.ReadLog();
            if (log.Contains(text, StringComparison.Ordinal)) return;
            if (process.HasExited) throw new InvalidOperationException($"the playground exited ({process.ExitCode}) before printing \"{text}\":\n{log}");
            await Task.Delay(200);
        }
        throw new TimeoutException($"the playground did not print \"{text}\" within {timeout}:\n{process.ReadLog()}");
    }

    private static Dictionary<string, string> ReadEnv(string path) =>
        File.ReadAllLines(path).Where(l => l.Contains('=')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);

    /// <summary>The process's command line, or "" once it is gone (a reused pid shows another one).</summary>
    private static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline"); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    private static async Task<MySqlConnection> OpenAsync(Dictionary<string, string> env, string portKey)
    {
        var connection = new MySqlConnection(new MySqlConnectionStringBuilder
        {
            Server = "127.0.0.1",
            Port = uint.Parse(env[portKey], CultureInfo.InvariantCulture),
            UserID = env["DB_USER"],
            Password = env["DB_PASSWORD"],
            SslMode = MySqlSslMode.None,
            Pooling = false,
        }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
