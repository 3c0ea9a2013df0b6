using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dm.Core.Api;

/// <summary>
/// The one set of JSON options for DM's OpenAPI bodies: snake_case names, strict numbers, enums as
/// their spec strings, nulls omitted, indented with four spaces like gin's IndentedJSON.
/// </summary>
public static class ApiJson
{
    public const int MaxDepth = 64;

    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.Strict,
            WriteIndented = true,
            IndentSize = 4,
            MaxDepth = MaxDepth,
            RespectNullableAnnotations = true,
            // Go's encoding/json escapes <, > and & but nothing else non-ASCII; relaxed keeps text readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            AllowTrailingCommas = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
        };
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Deserialises a body; any JSON error becomes an <see cref="ApiJsonException"/> naming the field path.</summary>
    public static T Deserialize<T>(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new ApiJsonException("$", "request body must not be null");
        }
        catch (JsonException ex)
        {
            throw ApiJsonException.From(ex);
        }
    }
}
