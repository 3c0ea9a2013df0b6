using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dm.TestKit;

namespace Dm.IntegrationTests.Relay;

/// <summary>What the relay tests look at: a worker's relay files (and MariaDB's own reader taking each), the cluster's workers, a source's status.</summary>
internal static class RelayChecks
{
    /// <summary>The relay directory of a worker for a source with the default relay_dir, relative to its working directory.</summary>
    public static string Directory(DmWorkerProcess worker) => Path.Combine(worker.BaseDirectory, "relay-dir");

    /// <summary>Every binlog file of the worker's relay log (sub-directory order, then name).</summary>
    public static IReadOnlyList<string> Files(DmWorkerProcess worker)
    {
        var root = Directory(worker);
        if (!System.IO.Directory.Exists(root)) return [];
        return System.IO.Directory.GetDirectories(root).Order(StringComparer.Ordinal)
            .SelectMany(d => System.IO.Directory.GetFiles(d).Where(f => Path.GetFileName(f).StartsWith("mysql-bin.", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal))
            .ToList();
    }

    /// <summary>MariaDB's own mariadb-binlog reads each file to its end (exit 0, its closing comment printed).</summary>
    public static async Task AssertMariaDbBinlogReadsAsync(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            var output = await ChildProcess.RunAsync("mariadb-binlog", ["--no-defaults", file], TimeSpan.FromSeconds(60));
            Assert.Contains("End of log file", output);
        }
    }

    /// <summary>Worker name → "stage" or "stage:source" as GET /cluster/workers says.</summary>
    public static async Task<Dictionary<string, string>> WorkersAsync(DmMasterProcess master)
    {
        var list = await master.Http.GetFromJsonAsync<JsonObject>("/api/v1/cluster/workers");
        return list!["data"]!.AsArray().ToDictionary(w => w!["name"]!.GetValue<string>(), w =>
        {
            var stage = w!["bound_stage"]!.GetValue<string>();
            var source = w["bound_source_name"]?.GetValue<string>() ?? "";
            return source.Length == 0 ? stage : $"{stage}:{source}";
        });
    }

    /// <summary>GET /sources/{source}/status: one entry per worker serving the source.</summary>
    public static async Task<JsonArray> SourceStatusAsync(DmMasterProcess master, string source) =>
        (await master.Http.GetFromJsonAsync<JsonObject>($"/api/v1/sources/{source}/status"))!["data"]!.AsArray();

    /// <summary>The relay status a worker reported for the source, or null.</summary>
    public static async Task<JsonNode?> RelayStatusAsync(DmMasterProcess master, string source, string worker) =>
        (await SourceStatusAsync(master, source)).FirstOrDefault(s => s!["worker_name"]!.GetValue<string>() == worker)?["relay_status"];

    /// <summary>Waits until the worker's relay of the source runs and has what the upstream has.</summary>
    public static async Task WaitCaughtUpAsync(DmMasterProcess master, string source, string worker, TimeSpan timeout) =>
        await MigrationEnvironment.WaitForAsync(async () =>
            await RelayStatusAsync(master, source, worker) is { } relay && relay["stage"]!.GetValue<string>() == "Running" &&
            relay["relay_catch_up_master"]!.GetValue<bool>(), $"the relay of {source} on {worker} to catch up", timeout);
}
