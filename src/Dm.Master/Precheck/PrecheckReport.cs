using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dm.Core.Upstream;

namespace Dm.Master.Precheck;

/// <summary>
/// Every check's result and the summary, plus DM's rendering of them: "pre-check is passed. " when clean,
/// the warnings message when only warnings, and error 26005 when anything failed.
/// </summary>
public sealed class PrecheckReport
{
    public const string MessageHeader = "fail to check synchronization configuration with type";
    public const string PassedMessage = "pre-check is passed. ";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        IndentCharacter = '\t',
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>All results in check order, successes included.</summary>
    public IReadOnlyList<CheckResult> Results { get; }
    public CheckSummary Summary { get; }
    private readonly int _errorLimit;
    private readonly int _warnLimit;

    public PrecheckReport(IReadOnlyList<CheckResult> results, int errorLimit = 10, int warnLimit = 10)
    {
        Results = results;
        _errorLimit = errorLimit;
        _warnLimit = warnLimit;
        Summary = new CheckSummary
        {
            Total = results.Count,
            Successful = results.Count(r => r.State == CheckState.Success),
            Failed = results.Count(r => r.State == CheckState.Fail),
            Warning = results.Count(r => r.State == CheckState.Warn),
        };
        Summary.Passed = Summary.Failed == 0;
    }

    /// <summary>Most connections the run held at once (bounded by <see cref="PrecheckRequest.MaxConnections"/>).</summary>
    public int PeakConnections { get; init; }

    public bool Passed => Summary.Passed;
    public bool HasWarnings => Summary.Warning > 0;

    /// <summary>
    /// DM's detail JSON: only failed/warned results, at most <c>errorLimit</c> failures and <c>warnLimit</c>
    /// warnings shown (the summary still counts all), indented with tabs like Go's MarshalIndent("\t", "\t").
    /// </summary>
    public string DetailJson()
    {
        int errorsLeft = _errorLimit, warningsLeft = _warnLimit;
        var shown = new List<CheckResult>();
        foreach (var r in Results)
        {
            if (r.State == CheckState.Success) continue;
            if (r.Errors is not { Count: > 0 })
            {
                if (r.State == CheckState.Warn && warningsLeft-- > 0) shown.Add(r);
                else if (r.State == CheckState.Fail && errorsLeft-- > 0) shown.Add(r);
                continue;
            }
            var kept = new List<CheckError>();
            foreach (var e in r.Errors)
            {
                if (e.Severity == CheckState.Warn && warningsLeft-- > 0) kept.Add(e);
                else if (e.Severity == CheckState.Fail && errorsLeft-- > 0) kept.Add(e);
            }
            if (kept.Count == 0) continue;
            shown.Add(new CheckResult
            {
                Id = r.Id, Name = r.Name, Desc = r.Desc, State = r.State, Errors = kept,
                Instruction = r.Instruction, Extra = r.Extra, Item = r.Item,
            });
        }
        var text = JsonSerializer.Serialize(new Detail(shown, Summary), Json);
        // Go's MarshalIndent puts the prefix at the start of every line but the first.
        return text.Replace("\n", "\n\t", StringComparison.Ordinal);
    }

    /// <summary>
    /// The task's <c>check_result</c>: "pre-check is passed. " or the warnings message ("" when nothing was checked).
    /// Throws <see cref="UpstreamException"/> 26005 with the JSON detail when anything failed.
    /// </summary>
    public string CheckResultMessage()
    {
        if (!Passed)
            throw new UpstreamException(UpstreamErrorCodes.TaskCheckSyncConfigError,
                $"{MessageHeader}: check was failed, please see detail\n detail: {DetailJson()}");
        if (Summary.Total == 0) return "";
        if (Summary.Successful == Summary.Total) return PassedMessage;
        return $"{MessageHeader}: no errors but some warnings\n detail: {DetailJson()}";
    }

    private sealed record Detail(
        [property: JsonPropertyName("results")] IReadOnlyList<CheckResult> Results,
        [property: JsonPropertyName("summary")] CheckSummary Summary);
}
