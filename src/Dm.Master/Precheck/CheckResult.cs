using System.Text.Json.Serialization;

namespace Dm.Master.Precheck;

/// <summary>State of one check or one error inside it; serialised as DM's "success" / "fail" / "warn".</summary>
[JsonConverter(typeof(CheckStateJsonConverter))]
public enum CheckState
{
    Success,
    Fail,
    Warn,
}

/// <summary>One problem found by a check (DM's checker.Error).</summary>
public sealed class CheckError
{
    [JsonPropertyName("severity")] public CheckState Severity { get; set; }
    [JsonPropertyName("short_error")] public string ShortError { get; set; } = "";
    [JsonPropertyName("self"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Self { get; set; }
    [JsonPropertyName("other"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Other { get; set; }
    [JsonPropertyName("instruction"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Instruction { get; set; }

    public static CheckError Failure(string message, string? instruction = null) =>
        new() { Severity = CheckState.Fail, ShortError = message, Instruction = instruction };

    public static CheckError Warning(string message, string? instruction = null) =>
        new() { Severity = CheckState.Warn, ShortError = message, Instruction = instruction };
}

/// <summary>The outcome of one check (DM's checker.Result); <see cref="Item"/> is the ignore-checking-items name.</summary>
public sealed class CheckResult
{
    [JsonPropertyName("id")] public int Id { get; set; }
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("desc")] public string Desc { get; set; } = "";
    [JsonPropertyName("state")] public CheckState State { get; set; }
    [JsonPropertyName("errors"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<CheckError>? Errors { get; set; }
    [JsonPropertyName("instruction"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Instruction { get; set; }
    [JsonPropertyName("extra"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Extra { get; set; }
    [JsonIgnore] public string Item { get; set; } = "";

    public CheckResult Add(CheckError error)
    {
        (Errors ??= []).Add(error);
        if (error.Severity == CheckState.Fail) State = CheckState.Fail;
        else if (error.Severity == CheckState.Warn && State == CheckState.Success) State = CheckState.Warn;
        return this;
    }
}

/// <summary>Counts over all checks (DM's ResultSummary).</summary>
public sealed class CheckSummary
{
    [JsonPropertyName("passed")] public bool Passed { get; set; }
    [JsonPropertyName("total")] public int Total { get; set; }
    [JsonPropertyName("successful")] public int Successful { get; set; }
    [JsonPropertyName("failed")] public int Failed { get; set; }
    [JsonPropertyName("warning")] public int Warning { get; set; }
}

internal sealed class CheckStateJsonConverter : JsonConverter<CheckState>
{
    public override CheckState Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        reader.GetString() switch
        {
            "success" => CheckState.Success,
            "fail" => CheckState.Fail,
            "warn" => CheckState.Warn,
            var other => throw new System.Text.Json.JsonException($"unknown check state {other}"),
        };

    public override void Write(System.Text.Json.Utf8JsonWriter writer, CheckState value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value switch
        {
            CheckState.Success => "success",
            CheckState.Fail => "fail",
            _ => "warn",
        });
}
