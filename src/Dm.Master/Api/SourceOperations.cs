using Dm.Core.Api;
using Dm.Master.OpenApi;
using Dm.Master.Sources;
using static Dm.Master.Api.ApiCatalog;

namespace Dm.Master.Api;

/// <summary>/api/v1/sources: upstream sources, their status, relay and schema listing.</summary>
public static class SourceOperations
{
    private const string Tag = "source";
    private static readonly ApiParameter SourceName = ApiParameter.Path("source-name", "source name");

    public static IEnumerable<ApiOperation> All(SourceService sources) =>
    [
        new("POST", "/api/v1/sources", "DMAPICreateSource", Tag, "create new data source",
            async r => r.Created(await sources.CreateAsync(await r.Body<CreateSourceRequest>(required: false, otherForm: SourceBodies.ReadFlat), r.Aborted)))
        {
            RequestBody = typeof(CreateSourceRequest),
            Responses = [Created(typeof(Source)), Failed()],
        },
        new("GET", "/api/v1/sources", "DMAPIGetSourceList", Tag, "get data source list",
            async r => r.Ok(await sources.ListAsync(r.QueryBool("with_status") ?? false, r.QueryBool("enable_relay"), r.Aborted)))
        {
            Parameters =
            [
                ApiParameter.Query<bool>("with_status", "list source with status"),
                ApiParameter.Query<bool>("enable_relay", "only return the enable-relay source"),
            ],
            Responses = [Ok(typeof(GetSourceListResponse))],
        },
        new("GET", "/api/v1/sources/{source-name}", "DMAPIGetSource", Tag, "get source",
            async r =>
            {
                var source = await sources.GetAsync(r.Path("source-name"), r.QueryBool("with_status") ?? false, r.Aborted);
                return source == null ? r.NotFound() : r.Ok(source);
            })
        {
            Parameters = [SourceName, ApiParameter.Query<bool>("with_status", "get source with status")],
            Responses = [Ok(typeof(Source)), new ApiResponse(404, null, "source not found")],
        },
        new("DELETE", "/api/v1/sources/{source-name}", "DMAPIDeleteSource", Tag, "delete a data source",
            async r =>
            {
                await sources.DeleteAsync(r.Path("source-name"), r.QueryBool("force") ?? false, r.Aborted);
                return r.NoContent();
            })
        {
            Parameters = [SourceName, ApiParameter.Query<bool>("force", "force stop source also stop the related tasks")],
            Responses = [NoContent(), Failed()],
        },
        new("PUT", "/api/v1/sources/{source-name}", "DMAPIUpdateSource", Tag, "update a data source",
            async r => r.Ok(await sources.UpdateAsync(r.Path("source-name"), await r.Body<UpdateSourceRequest>(required: true), r.Aborted)))
        {
            Parameters = [SourceName],
            RequestBody = typeof(UpdateSourceRequest),
            RequestBodyRequired = true,
            Responses = [Ok(typeof(Source)), Failed()],
        },
        new("GET", "/api/v1/sources/{source-name}/status", "DMAPIGetSourceStatus", Tag, "get the current status of the data source",
            async r => r.Ok(await sources.StatusAsync(r.Path("source-name"), r.Aborted)))
        {
            Parameters = [SourceName],
            Responses = [Ok(typeof(GetSourceStatusResponse)), Failed()],
        },
        new("POST", "/api/v1/sources/{source-name}/enable", "DMAPIEnableSource", Tag, "enable a data source",
            async r =>
            {
                await sources.EnableAsync(r.Path("source-name"), r.Aborted);
                return r.Done();
            })
        {
            Parameters = [SourceName],
            Responses = [Ok(null), Failed()],
        },
        new("POST", "/api/v1/sources/{source-name}/disable", "DMAPIDisableSource", Tag, "disable a data source",
            async r =>
            {
                await sources.DisableAsync(r.Path("source-name"), r.Aborted);
                return r.Done();
            })
        {
            Parameters = [SourceName],
            Responses = [Ok(null), Failed()],
        },
        new("POST", "/api/v1/sources/{source-name}/transfer", "DMAPITransferSource", Tag, "transfer a source to a free worker",
            async r =>
            {
                var name = r.Path("source-name");
                await sources.TransferAsync(name, await r.Body<WorkerNameRequest>(required: true), r.Aborted);
                return r.Done();
            })
        {
            Parameters = [SourceName],
            RequestBody = typeof(WorkerNameRequest),
            RequestBodyRequired = true,
            Responses = [Ok(null), Failed()],
        },
        new("POST", "/api/v1/sources/{source-name}/relay/enable", "DMAPIEnableRelay", Tag, "enable relay log function for the data source",
            async r =>
            {
                var name = r.Path("source-name");
                await sources.EnableRelayAsync(name, await r.Body<EnableRelayRequest>(required: false), r.Aborted);
                return r.Done();
            })
        {
            Parameters = [SourceName],
            RequestBody = typeof(EnableRelayRequest),
            Responses = [Ok(null), Failed()],
        },
        new("POST", "/api/v1/sources/{source-name}/relay/disable", "DMAPIDisableRelay", Tag, "disable relay log function for the data source",
            async r =>
            {
                var name = r.Path("source-name");
                await sources.DisableRelayAsync(name, await r.Body<DisableRelayRequest>(required: false), r.Aborted);
                return r.Done();
            })
        {
            Parameters = [SourceName],
            RequestBody = typeof(DisableRelayRequest),
            Responses = [Ok(null), Failed()],
        },
        new("POST", "/api/v1/sources/{source-name}/relay/purge", "DMAPIPurgeRelay", Tag, "purge relay log",
            async r =>
            {
                var name = r.Path("source-name");
                await sources.PurgeRelayAsync(name, await r.Body<PurgeRelayRequest>(required: true), r.Aborted);
                return r.Done();
            })
        {
            Parameters = [SourceName],
            RequestBody = typeof(PurgeRelayRequest),
            RequestBodyRequired = true,
            Responses = [Ok(null), Failed()],
        },
        new("GET", "/api/v1/sources/{source-name}/schemas", "DMAPIGetSourceSchemaList", Tag, "get source schema list",
            async r => r.Ok(await sources.SchemasAsync(r.Path("source-name"), r.Aborted)))
        {
            Parameters = [SourceName],
            Responses = [Ok(typeof(List<string>)), Failed()],
        },
        new("GET", "/api/v1/sources/{source-name}/schemas/{schema-name}", "DMAPIGetSourceTableList", Tag, "get source table list",
            async r => r.Ok(await sources.TablesAsync(r.Path("source-name"), r.Path("schema-name"), r.Aborted)))
        {
            Parameters = [SourceName, ApiParameter.Path("schema-name", "schema name")],
            Responses = [Ok(typeof(List<string>)), Failed()],
        },
    ];
}
