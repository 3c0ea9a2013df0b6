using System.Text.Json;
using Dm.Core.Api;

namespace Dm.Master.Api;

/// <summary>The two forms of a create-source body that DM's users send.</summary>
public static class SourceBodies
{
    /// <summary>
    /// The spec's form is <c>{"source": {...}, "worker_name": ...}</c>; DM's OpenAPI guide sends the source's fields at the
    /// top level (<c>{"source_name": ..., "host": ...}</c>). An object without <c>source</c> that has <c>source_name</c> is read
    /// as the latter; anything else (null here) is left for the spec's form to judge.
    /// </summary>
    public static CreateSourceRequest? ReadFlat(byte[] body, JsonSerializerOptions json)
    {
        using (var document = JsonDocument.Parse(body, new JsonDocumentOptions
               {
                   AllowTrailingCommas = json.AllowTrailingCommas, CommentHandling = json.ReadCommentHandling, MaxDepth = json.MaxDepth,
               }))
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("source", out _) || !root.TryGetProperty("source_name", out _))
                return null;
        }
        return new CreateSourceRequest { Source = JsonSerializer.Deserialize<Source>(body, json)! };
    }
}
