namespace Dm.Master.OpenApi;

public enum ParameterLocation { Path, Query }

/// <summary>A path or query parameter of an operation; <see cref="Schema"/> is its JSON type.</summary>
public sealed record ApiParameter(string Name, ParameterLocation In, Type Schema, bool Required = false, string? Description = null)
{
    public static ApiParameter Path(string name, string? description = null) => new(name, ParameterLocation.Path, typeof(string), true, description);
    public static ApiParameter Query<T>(string name, string? description = null) => new(name, ParameterLocation.Query, typeof(T), false, description);
}

/// <summary>One documented response: status code and body type (null for no body).</summary>
public sealed record ApiResponse(int Status, Type? Body, string Description);

/// <summary>
/// One operation of DM's OpenAPI. The same list registers the HTTP routes and generates
/// <c>/api/v1/dm.json</c>, so the document cannot drift from what is served.
/// </summary>
public sealed record ApiOperation(
    string Method,
    string Path,
    string OperationId,
    string Tag,
    string Summary,
    Func<ApiRequest, Task<IResult>> Handler)
{
    public IReadOnlyList<ApiParameter> Parameters { get; init; } = [];
    public Type? RequestBody { get; init; }
    public bool RequestBodyRequired { get; init; }
    public IReadOnlyList<ApiResponse> Responses { get; init; } = [];
    /// <summary>Content type of a 200 body that is not JSON (the docs page).</summary>
    public string? RawContentType { get; init; }
}
