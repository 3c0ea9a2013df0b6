using System.Diagnostics;
using System.Text.Json.Nodes;
using Dm.TestKit;

namespace Dm.Ctl.Tests;

/// <summary>What one dmctl run printed and returned.</summary>
public sealed record DmctlRun(int ExitCode, string Stdout, string Stderr)
{
    public JsonObject Json
    {
        get
        {
            try
            {
                return JsonNode.Parse(Stdout)!.AsObject();
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw new Xunit.Sdk.XunitException($"dmctl did not print JSON ({ex.Message}):\n{this}");
            }
        }
    }

    public bool Result => Json["result"]!.GetValue<bool>();

    public string Msg => Json["msg"]!.GetValue<string>();

    /// <summary>Asserts success (exit 0, result true) and returns the JSON.</summary>
    public JsonObject Ok()
    {
        Assert.True(ExitCode == 0 && Result, ToString());
        return Json;
    }

    /// <summary>Asserts failure (exit 1, result false, msg tagged with <paramref name="code"/>) and returns the msg.</summary>
    public string Failed(int code)
    {
        Assert.True(ExitCode == 1, ToString());
        Assert.False(Result, ToString());
        Assert.True(Msg.StartsWith($"[code={code}:", StringComparison.Ordinal), $"expected code {code}: {this}");
        return Msg;
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs the built dmctl (src/Dm.Ctl) as a separate process, as a user would.</summary>
public static class DmctlProcess
{
    public static async Task<DmctlRun> RunAsync(IReadOnlyList<string> args, IDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null, string? stdin = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepositoryLayout.ProgramDll("Dm.Ctl", "dmctl"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("DM_MASTER_ADDR");
        if (environment != null)
            foreach (var (k, v) in environment) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
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
