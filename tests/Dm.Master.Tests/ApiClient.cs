using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dm.Master.Tests;

/// <summary>A response as tests look at it: status code, raw body and the body parsed as JSON (when it is).</summary>
public sealed record ApiResponse(HttpStatusCode Status, string Body, string? ContentType)
{
    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);

    public int Code => (int)Status;

    /// <summary>DM's error body: asserts its shape and returns the error code.</summary>
    public int ErrorCode
    {
        get
        {
            var json = Json ?? throw new Xunit.Sdk.XunitException($"expected an error body, got an empty one ({Code})");
            Assert.NotNull(json["error_msg"]);
            return json["error_code"]!.GetValue<int>();
        }
    }

    public string ErrorMessage => Json!["error_msg"]!.GetValue<string>();

    public override string ToString() => $"{Code} {Body}";
}

/// <summary>Thin HTTP client for the master's API; bodies are sent exactly as given.</summary>
public sealed class ApiClient(HttpClient http)
{
    public HttpClient Http => http;

    public Task<ApiResponse> Get(string path) => Send(HttpMethod.Get, path, null);
    public Task<ApiResponse> Delete(string path) => Send(HttpMethod.Delete, path, null);
    public Task<ApiResponse> Post(string path, object? body = null) => Send(HttpMethod.Post, path, body);
    public Task<ApiResponse> Put(string path, object? body = null) => Send(HttpMethod.Put, path, body);

    /// <summary>Sends a body: a string goes as it is (possibly malformed JSON), anything else is serialised.</summary>
    public async Task<ApiResponse> Send(HttpMethod method, string path, object? body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body != null)
        {
            var text = body as string ?? JsonSerializer.Serialize(body);
            request.Content = new StringContent(text, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        using var response = await http.SendAsync(request);
        return new ApiResponse(response.StatusCode, await response.Content.ReadAsStringAsync(),
            response.Content.Headers.ContentType?.MediaType);
    }
}
