using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Dm.Ctl.Commands;

/// <summary>
/// <c>query-status --watch</c>: redraws one line per subtask with a progress bar for Dump/Load (from DM's
/// "45.00 %" progress strings) and the lag for Sync, until Ctrl-C or the requested number of refreshes.
/// </summary>
public static class StatusWatch
{
    private const int BarWidth = 30;

    public static async Task<JsonObject> RunAsync(TextWriter output, Func<Task<JsonObject>> query, TimeSpan interval, long count,
        CancellationToken ct)
    {
        var interactive = !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
        JsonObject last = new();
        for (long n = 1; ; n++)
        {
            try
            {
                last = await query();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            if (interactive) output.Write("\u001b[H\u001b[2J");
            output.Write(Render(last, DateTime.Now));
            output.Flush();
            if (count > 0 && n >= count) break;
            try
            {
                await Task.Delay(interval, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return last;
    }

    public static string Render(JsonObject status, DateTime now)
    {
        var text = new StringBuilder();
        text.AppendLine($"query-status at {now:HH:mm:ss} (Ctrl-C to stop)");
        foreach (var source in status["sources"]?.AsArray() ?? [])
        {
            var sourceStatus = source!["sourceStatus"]!;
            var worker = sourceStatus["worker"]!.GetValue<string>();
            text.AppendLine($"source {sourceStatus["source"]} (worker {(worker.Length == 0 ? "none" : worker)})");
            foreach (var sub in source["subTaskStatus"]?.AsArray() ?? [])
                text.AppendLine("  " + Line(sub!));
        }
        text.AppendLine();
        return text.ToString();
    }

    private static string Line(JsonNode sub)
    {
        var head = $"{sub["name"],-20} {sub["stage"],-8} {sub["unit"],-6}";
        var detail = sub["unit"]?.GetValue<string>() switch
        {
            "Dump" when sub["dump"] is { } d => $"{Bar(d["progress"]?.GetValue<string>())} {d["finishedRows"]} rows",
            "Load" when sub["load"] is { } l => $"{Bar(l["progress"]?.GetValue<string>())} {l["finishedBytes"]}/{l["totalBytes"]} bytes",
            "Sync" when sub["sync"] is { } s =>
                $"{(s["synced"]?.GetValue<bool>() == true ? "synced" : "catching up")}, {s["secondsBehindMaster"]}s behind, {s["totalEvents"]} events, at {s["syncerBinlog"]}",
            _ => "",
        };
        var error = sub["result"]?["errors"]?[0]?["message"]?.GetValue<string>();
        return (head + " " + detail + (error != null ? "  error: " + error : "")).TrimEnd();
    }

    /// <summary>A [#####-----] bar from DM's "NN.NN %" text.</summary>
    public static string Bar(string? progress)
    {
        var percent = 0.0;
        if (progress != null)
            double.TryParse(progress.Replace("%", "", StringComparison.Ordinal).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out percent);
        percent = Math.Clamp(percent, 0, 100);
        var filled = (int)Math.Round(percent / 100 * BarWidth);
        return $"[{new string('#', filled)}{new string('-', BarWidth - filled)}] {percent,6:0.00} %";
    }
}
