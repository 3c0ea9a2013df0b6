using System.Text.Json;
using Dm.Core.Api;
using Microsoft.AspNetCore.Http.Features;

namespace Dm.Master.OpenApi;

/// <summary>
/// What a handler reads from a request: path and query parameters and the JSON body, each parsed
/// strictly. Anything malformed raises <see cref="ApiInputException"/> naming the parameter or field.
/// </summary>
public sealed class ApiRequest(HttpContext http, JsonSerializerOptions json)
{
    /// <summary>Bodies larger than this are refused with 413 before they are read.</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    public HttpContext Http { get; } = http;
    public CancellationToken Aborted => Http.RequestAborted;

    public string Path(string name)
    {
        var value = Http.Request.RouteValues[name] as string;
        if (string.IsNullOrEmpty(value)) throw new ApiInputException($"path parameter '{name}' is required");
        return value;
    }

    public bool? QueryBool(string name)
    {
        var raw = Single(name);
        if (raw == null) return null;
        // Go's strconv.ParseBool, which DM's parameter binding uses.
        return raw switch
        {
            "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
            "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
            _ => throw new ApiInputException($"query parameter '{name}' must be a boolean, got \"{Clip(raw)}\""),
        };
    }

    public string? QueryString(string name) => Single(name);

    /// <summary>An array parameter in form style: <c>?x=a&amp;x=b</c> (also accepts <c>x=a,b</c>).</summary>
    public IReadOnlyList<string>? QueryList(string name)
    {
        if (!Http.Request.Query.TryGetValue(name, out var values)) return null;
        return values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
    }

    /// <summary>A string enum parameter; the value must be one of <paramref name="allowed"/>.</summary>
    public string? QueryEnum(string name, IReadOnlyCollection<string> allowed)
    {
        var raw = Single(name);
        if (raw == null) return null;
        if (!allowed.Contains(raw))
            throw new ApiInputException($"query parameter '{name}' must be one of [{string.Join(", ", allowed)}], got \"{Clip(raw)}\"");
        return raw;
    }

    /// <summary>
    /// Reads the JSON body as <typeparamref name="T"/>. An empty body means "all defaults" (as DM's
    /// binding does) unless <paramref name="required"/>; required fields of T must still be present.
    /// </summary>
    /// <param name="otherForm">Reads a body of another accepted form (a shape older DM docs use), or null when the body is not of
    /// that form; JSON errors it meets are reported like the main form's.</param>
    public async Task<T> Body<T>(bool required, Func<T>? whenEmpty = null, Func<byte[], JsonSerializerOptions, T?>? otherForm = null) where T : class
    {
        var request = Http.Request;
        if (request.ContentType is { Length: > 0 } type && !ApiRequestPolicy.IsJson(type) && request.ContentLength is not 0)
            throw new ApiInputException($"request body must be application/json, got {Clip(type)}", StatusCodes.Status415UnsupportedMediaType);
        if (request.ContentLength > MaxBodyBytes) throw TooLarge();
        var sizeFeature = Http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = MaxBodyBytes;

        byte[] bytes;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, Aborted);
            bytes = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge();
        }
        catch (BadHttpRequestException e)
        {
            throw new ApiInputException($"cannot read request body: {e.Message}");
        }

        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            if (required) throw new ApiInputException("request body is required");
            if (whenEmpty != null) return whenEmpty();
            bytes = "{}"u8.ToArray();
        }
        try
        {
            if (otherForm?.Invoke(bytes, json) is { } other) return other;
            return JsonSerializer.Deserialize<T>(bytes, json)
                   ?? throw new ApiInputException("request body must be a JSON object, got null");
        }
        catch (JsonException e)
        {
            throw new ApiInputException($"request body is invalid: {ApiJsonException.From(e).Message}");
        }
    }

    public IResult Ok<T>(T body) => ApiResults.Json(body, json);
    public IResult Created<T>(T body) => ApiResults.Json(body, json, StatusCodes.Status201Created);
    public IResult Accepted<T>(T body) => ApiResults.Json(body, json, StatusCodes.Status202Accepted);
    /// <summary>200 with no body, as DM's <c>c.Status(http.StatusOK)</c>.</summary>
    public IResult Done() => ApiResults.Status(StatusCodes.Status200OK);
    public IResult NoContent() => ApiResults.Status(StatusCodes.Status204NoContent);
    public IResult NotFound() => ApiResults.Status(StatusCodes.Status404NotFound);

    private string? Single(string name)
    {
        if (!Http.Request.Query.TryGetValue(name, out var values)) return null;
        if (values.Count > 1) throw new ApiInputException($"query parameter '{name}' is given {values.Count} times");
        return values[0];
    }

    private static ApiInputException TooLarge() =>
        new($"request body is larger than {MaxBodyBytes} bytes", StatusCodes.Status413PayloadTooLarge);

    private static string Clip(string s) => s.Length <= 64 ? s : s[..64] + "...";
}
