using System.Text.Json.Nodes;
using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Ctl.Cli;
using Dm.Ctl.Master;
using Dm.Ctl.Output;
using Dm.Ctl.TaskFiles;

namespace Dm.Ctl.Commands;

/// <summary>
/// operate-source create|update|stop|show: source.yaml files become OpenAPI sources (POST/PUT /sources);
/// stop deletes the source (DM's StopSource), show lists them with their workers.
/// </summary>
public sealed class OperateSourceCommand : ICommand
{
    public string Name => "operate-source";
    public string Usage => "operate-source <create | update | stop | show> [config-file ...] [--print-sample-config] [-w worker]";
    public string Description => "create/update/stop/show upstream MySQL/MariaDB source";

    public IReadOnlyList<FlagSpec> Flags { get; } =
    [
        FlagSpec.Bool("print-sample-config", "p", "print sample config file of source"),
        FlagSpec.Value("worker", "w", "specify bound worker for created source"),
    ];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        if (args.Bool("print-sample-config"))
            return ResultJson.Ok(SampleSourceConfig.Text);
        if (args.Positional.Count == 0) throw CtlException.Usage("operate-source needs an operation: create, update, stop or show");
        var op = args.Positional[0];
        var files = args.Positional.Skip(1).ToList();
        var worker = args.Value("worker");
        if (worker != null && (op != "create" || files.Count != 1))
            throw CtlException.Usage("-w/--worker can only be used when creating one source");
        return op switch
        {
            "create" => await EachAsync(context, files, (f, c) => CreateAsync(context.Master, f, worker, c), ct),
            "update" => await EachAsync(context, files, (f, c) => UpdateAsync(context.Master, f, c), ct),
            "stop" => await EachAsync(context, files, (f, c) => StopAsync(context.Master, f, c), ct),
            "show" => await ShowAsync(context.Master, [.. files.Select(ConfigFile.SourceId), .. args.List(GlobalFlags.Source)], ct),
            _ => throw CtlException.Usage($"invalid operate-source operation \"{op}\": expected create, update, stop or show"),
        };
    }

    private static async Task<JsonObject> EachAsync(CommandContext context, List<string> files,
        Func<string, CancellationToken, Task<JsonObject>> operate, CancellationToken ct)
    {
        if (files.Count == 0) throw CtlException.Usage("operate-source create/update/stop needs at least one config file (or source ID for stop)");
        var lines = new List<JsonObject>();
        foreach (var file in files)
        {
            try
            {
                lines.Add(await operate(file, ct));
            }
            catch (CtlException ex) when (files.Count > 1)
            {
                // DM reports each source; one failure does not hide the others.
                lines.Add(ResultJson.SourceLine(file, "", result: false, msg: ex.Message));
            }
        }
        var failed = lines.FirstOrDefault(l => l["result"]!.GetValue<bool>() == false);
        var result = failed == null ? ResultJson.Ok() : ResultJson.Failed(failed["msg"]!.GetValue<string>());
        result["sources"] = ResultJson.Array(lines);
        return result;
    }

    private static async Task<JsonObject> CreateAsync(MasterClient master, string file, string? worker, CancellationToken ct)
    {
        var source = ToApiSource(file);
        var request = new CreateSourceRequest { Source = source, WorkerName = worker };
        await master.PostAsync("/api/v1/sources", MasterClient.ToBody(request), ct);
        var bound = await SourceLookup.WorkerOfAsync(master, source.SourceName, ct);
        return ResultJson.SourceLine(source.SourceName, bound, msg: SourceLookup.UnboundMessage(bound));
    }

    private static async Task<JsonObject> UpdateAsync(MasterClient master, string file, CancellationToken ct)
    {
        var source = ToApiSource(file);
        await master.PutAsync($"/api/v1/sources/{MasterClient.Escape(source.SourceName)}", MasterClient.ToBody(new UpdateSourceRequest { Source = source }), ct);
        return ResultJson.SourceLine(source.SourceName, await SourceLookup.WorkerOfAsync(master, source.SourceName, ct));
    }

    private static async Task<JsonObject> StopAsync(MasterClient master, string fileOrId, CancellationToken ct)
    {
        var id = ConfigFile.SourceId(fileOrId);
        var worker = await SourceLookup.WorkerOfAsync(master, id, ct);
        await master.DeleteAsync($"/api/v1/sources/{MasterClient.Escape(id)}", ct);
        return ResultJson.SourceLine(id, worker);
    }

    private static async Task<JsonObject> ShowAsync(MasterClient master, List<string> only, CancellationToken ct)
    {
        var list = MasterClient.FromBody<GetSourceListResponse>(await master.GetAsync("/api/v1/sources?with_status=true", ct));
        var missing = only.Where(s => list.Data.All(d => d.SourceName != s)).ToList();
        if (missing.Count > 0) throw CtlException.From(Dm.Core.Errors.DmErrors.ErrSchedulerSourceCfgNotExist.New(string.Join(",", missing)));
        var lines = list.Data
            .Where(s => only.Count == 0 || only.Contains(s.SourceName))
            .OrderBy(s => s.SourceName, StringComparer.Ordinal)
            .Select(s =>
            {
                var worker = s.StatusList?.Select(x => x.WorkerName).FirstOrDefault(w => w.Length > 0) ?? "";
                return (JsonNode)ResultJson.SourceLine(s.SourceName, worker, msg: SourceLookup.UnboundMessage(worker));
            });
        var result = ResultJson.Ok();
        result["sources"] = ResultJson.Array(lines);
        return result;
    }

    /// <summary>source.yaml → the OpenAPI Source, with the password as written (the master encrypts it at rest).</summary>
    private static Source ToApiSource(string file)
    {
        var cfg = ConfigFile.ReadSource(file);
        if (cfg.SourceId.Length == 0)
            throw CtlException.From(Dm.Core.Errors.DmErrors.ErrConfigYamlTransform.New($"{file}: source-id must not be empty"));
        SourceConverter.RefuseUncarried(cfg, file);
        var source = SourceConverter.ToApiSource(cfg) with { Password = cfg.From.Password };
        if (cfg.From.Security is { } tls)
        {
            // As DM's dmctl: TLS file paths in from.security are read here and sent as PEM contents.
            source = source with
            {
                Security = new Security
                {
                    SslCaContent = Pem(tls.SslCaBytes, tls.SslCa),
                    SslCertContent = Pem(tls.SslCertBytes, tls.SslCert),
                    SslKeyContent = Pem(tls.SslKeyBytes, tls.SslKey),
                    CertAllowedCn = tls.CertAllowedCn.Count > 0 ? [.. tls.CertAllowedCn] : null,
                },
            };
        }
        return source;
    }

    private static string Pem(string content, string path) =>
        content.Length > 0 || path.Length == 0 ? content : ConfigFile.Read(path);
}
