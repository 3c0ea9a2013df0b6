using System.Diagnostics;
using System.Text.Json.Nodes;
using Dm.TestKit;

namespace Dm.IntegrationTests;

/// <summary>One run of the built dmctl against a master, as a user runs it: exit code and the JSON it printed.</summary>
public sealed record DmctlRun(int ExitCode, string Stdout, string Stderr)
{
    public JsonObject Json => JsonNode.Parse(Stdout)!.AsObject();

    public JsonObject Ok()
    {
        Assert.True(ExitCode == 0 && Json["result"]!.GetValue<bool>(), ToString());
        return Json;
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";

    public static async Task<DmctlRun> RunAsync(DmMasterProcess master, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(RepositoryLayout.ProgramDll("Dm.Ctl", "dmctl"));
        info.ArgumentList.Add("--master-addr");
        info.ArgumentList.Add($"127.0.0.1:{master.Port}");
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("DM_MASTER_ADDR");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dmctl {string.Join(' ', args)} did not finish");
        }
        return new DmctlRun(process.ExitCode, await stdout, await stderr);
    }
}
