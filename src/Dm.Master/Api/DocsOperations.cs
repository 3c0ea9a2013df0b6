using Dm.Master.OpenApi;
using static Dm.Master.Api.ApiCatalog;

namespace Dm.Master.Api;

/// <summary>/api/v1/docs (an API page that needs no network) and /api/v1/dm.json (the generated spec).</summary>
public static class DocsOperations
{
    private const string Tag = "tool";

    public static IEnumerable<ApiOperation> All(Func<string> documentJson) =>
    [
        new("GET", "/api/v1/docs", "GetDocHTML", Tag, "get doc html page",
            _ => Task.FromResult(Results.Content(DocsPage.Html, "text/html; charset=utf-8")))
        {
            RawContentType = "text/html",
            Responses = [Ok(typeof(string), "doc html page")],
        },
        new("GET", "/api/v1/dm.json", "GetDocJSON", Tag, "get doc json",
            _ => Task.FromResult(Results.Content(documentJson(), "application/json; charset=utf-8")))
        {
            Responses = [Ok(typeof(string), "doc json")],
        },
    ];
}
