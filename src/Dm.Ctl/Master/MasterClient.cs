using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Core.Tls;
using Dm.Ctl.Output;

namespace Dm.Ctl.Master;

/// <summary>
/// The master's OpenAPI (/api/v1) as dmctl uses it. Tries each master address in turn until one answers
/// (any master will do: followers forward to the leader); DM error bodies become <see cref="CtlException"/>s.
/// </summary>
public sealed class MasterClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly IReadOnlyList<Uri> _addresses;
    private int _current;

    /// <param name="tls">--ssl-ca/--ssl-cert/--ssl-key: the masters' certificates are checked against the CA (and the host
    /// dialled), and this certificate is presented; null for plain http.</param>
    public MasterClient(IReadOnlyList<Uri> addresses, TimeSpan timeout, TlsIdentity? tls = null)
    {
        _addresses = addresses;
        var handler = new SocketsHttpHandler();
        if (tls != null) handler.SslOptions = tls.ClientOptions();
        _http = new HttpClient(handler) { Timeout = timeout };
    }

    public Task<JsonNode?> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<JsonNode?> PostAsync(string path, JsonNode? body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);

    /// <summary>POST with extra request headers (decrypt's join secret).</summary>
    public async Task<JsonNode?> PostAsync(string path, JsonNode? body, IReadOnlyDictionary<string, string> headers, CancellationToken ct)
    {
        var (status, text) = await ExchangeAsync(HttpMethod.Post, path, body, ct, headers);
        return Interpret(status, text, path);
    }

    public Task<JsonNode?> PutAsync(string path, JsonNode? body, CancellationToken ct) => SendAsync(HttpMethod.Put, path, body, ct);

    public Task<JsonNode?> DeleteAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Delete, path, null, ct);

    /// <summary>GET that answers null on 404 (DM's "not found" for a single source).</summary>
    public async Task<JsonNode?> GetOrNullAsync(string path, CancellationToken ct)
    {
        var (status, body) = await ExchangeAsync(HttpMethod.Get, path, null, ct);
        if (status == HttpStatusCode.NotFound) return null;
        return Interpret(status, body, path);
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        var (status, text) = await ExchangeAsync(method, path, body, ct);
        return Interpret(status, text, path);
    }

    private async Task<(HttpStatusCode Status, string Body)> ExchangeAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var failures = new List<string>();
        for (var attempt = 0; attempt < _addresses.Count; attempt++)
        {
            var address = _addresses[(_current + attempt) % _addresses.Count];
            using var request = new HttpRequestMessage(method, new Uri(address, path));
            if (body != null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
            try
            {
                using var response = await _http.SendAsync(request, ct);
                _current = (_current + attempt) % _addresses.Count;
                return (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
            }
            catch (HttpRequestException ex) when (ex.InnerException is SocketException or IOException || ex.HttpRequestError != HttpRequestError.Unknown)
            {
                failures.Add($"{address.Authority}: {ex.Message}");
            }
            catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
            {
                failures.Add($"{address.Authority}: no answer within {_http.Timeout} ({ex.Message})");
            }
        }
        throw CtlException.From(DmErrors.ErrCtlGRPCCreateConn.Wrap(
            new HttpRequestException("cannot reach any dm-master: " + string.Join("; ", failures))));
    }

    private static JsonNode? Interpret(HttpStatusCode status, string body, string path)
    {
        var json = TryParse(body);
        if ((int)status is >= 200 and < 300) return json;
        if (json?["error_msg"] is JsonValue msg && json["error_code"] is JsonValue code && code.TryGetValue<int>(out var c))
        {
            var text = msg.GetValue<string>();
            return c != 0 && text.StartsWith("[code=", StringComparison.Ordinal)
                ? throw new CtlException(c, text)
                : throw Wrapped(text);
        }
        if (json?["error"] is JsonValue error) throw Wrapped(error.ToString());
        throw Wrapped($"dm-master answered {(int)status} {status} for {path}: {body}");
    }

    private static CtlException Wrapped(string message) =>
        CtlException.From(DmErrors.ErrOpenAPICommonError.Wrap(new InvalidOperationException(message)));

    private static JsonNode? TryParse(string body)
    {
        if (body.Length == 0) return null;
        try
        {
            return JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(body);
        }
    }

    /// <summary>Serialises an API body with the OpenAPI's own JSON options (snake_case, enums as spec strings).</summary>
    public static JsonNode ToBody<T>(T value) => JsonNode.Parse(ApiJson.Serialize(value))!;

    /// <summary>Reads an API answer as its Dm.Core.Api record.</summary>
    public static T FromBody<T>(JsonNode? node) => ApiJson.Deserialize<T>(node?.ToJsonString() ?? "null");

    public static string Escape(string segment) => Uri.EscapeDataString(segment);

    public void Dispose() => _http.Dispose();
}
