using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dm.Core.Api;

/// <summary>A JSON body that does not fit the spec, with the path of the offending field.</summary>
public sealed partial class ApiJsonException : Exception
{
    public ApiJsonException(string path, string problem, Exception? inner = null)
        : base($"{Display(path)}: {problem}", inner)
    {
        FieldPath = path;
        Problem = problem;
    }

    /// <summary>JSON path as System.Text.Json reports it, e.g. <c>$.task.task_mode</c>.</summary>
    public string FieldPath { get; }

    public string Problem { get; }

    /// <summary>Turns System.Text.Json's exception into one whose message names the field.</summary>
    public static ApiJsonException From(JsonException ex)
    {
        var path = ex.Path ?? "$";
        var missing = MissingRequired().Match(ex.Message);
        if (missing.Success)
        {
            var names = MissingName().Matches(missing.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
            var fields = names.Select(n => Join(path, n)).ToList();
            var problem = fields.Count > 1
                ? $"required fields are missing: {string.Join(", ", fields.Select(Display))}"
                : "required field is missing";
            return new ApiJsonException(fields.Count > 0 ? fields[0] : path, problem, ex);
        }

        if (ex.Message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            var target = ConvertTarget().Match(ex.Message);
            var type = target.Success ? Friendly(target.Groups[1].Value) : "the expected type";
            return new ApiJsonException(path, $"invalid value, expected {type}", ex);
        }

        if (ex.Message.Contains("maximum configured depth", StringComparison.Ordinal))
            return new ApiJsonException(path, $"nesting deeper than {ApiJson.MaxDepth} levels", ex);

        if (ex.Message.Contains("null", StringComparison.OrdinalIgnoreCase) && ex.Message.Contains("non-nullable", StringComparison.Ordinal))
            return new ApiJsonException(path, "must not be null", ex);

        return new ApiJsonException(path, "malformed JSON: " + FirstSentence(ex.Message), ex);
    }

    private static string Join(string path, string name) => path == "$" ? "$." + name : path + "." + name;

    private static string Display(string path) => path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(" Path:", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }

    private static string Friendly(string clrType)
    {
        var type = Type.GetType(clrType) ?? typeof(ApiJson).Assembly.GetType(clrType);
        var underlying = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        if (underlying is { IsEnum: true })
            return "one of " + string.Join(", ", ApiEnumNames.Of(underlying).Select(n => $"\"{n}\""));
        return underlying switch
        {
            null => clrType,
            _ when underlying == typeof(string) => "a string",
            _ when underlying == typeof(bool) => "a boolean",
            _ when underlying == typeof(int) || underlying == typeof(long) || underlying == typeof(ulong) => "an integer",
            _ when underlying == typeof(double) => "a number",
            _ when underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(List<>) => "an array",
            _ => "an object",
        };
    }

    [GeneratedRegex(@"missing required properties including: (.*?)\.?( Path:|$)")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex MissingName();

    [GeneratedRegex(@"could not be converted to (?:System\.Nullable`1\[)?([\w.`\[\], =]+?)\]?\. Path")]
    private static partial Regex ConvertTarget();
}
