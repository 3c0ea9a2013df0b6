using System.Reflection;
using System.Text.Json.Nodes;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Tls;
using Dm.Ctl.Master;
using Dm.Ctl.Output;

namespace Dm.Ctl.Cli;

/// <summary>
/// dmctl's entry: finds the command among the arguments, parses global and command flags, runs it
/// against the master and prints DM's JSON (or a table). Exit status 0 only when the result is true.
/// </summary>
public static class DmctlApplication
{
    public const string MasterAddrVariable = "DM_MASTER_ADDR";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct,
        bool interactive = true)
    {
        var format = OutputFormat.Json;
        try
        {
            var (command, rest) = SplitCommand(args);
            var flags = command == null ? GlobalFlags.All : [.. GlobalFlags.All, .. command.Flags];
            var parsed = ArgumentParser.Parse(rest, flags);
            format = ParseFormat(parsed.Value(GlobalFlags.Output));
            if (parsed.Bool(GlobalFlags.Version))
            {
                stdout.WriteLine(VersionText());
                return 0;
            }
            var addressText = parsed.Value(GlobalFlags.MasterAddr) ?? Environment.GetEnvironmentVariable(MasterAddrVariable);
            if (command == null && interactive && addressText != null && !parsed.Bool(GlobalFlags.Help) && parsed.Positional.Count == 0)
                return await InteractiveShell.RunAsync(args, Console.In, stdout, stderr, ct);
            if (command == null || parsed.Bool(GlobalFlags.Help))
            {
                stdout.Write(command == null ? CommandCatalog.Usage() : CommandCatalog.Usage(command));
                return command == null && !parsed.Bool(GlobalFlags.Help) ? 1 : 0;
            }
            RejectUnsupportedGlobals(parsed);
            var timeout = parsed.Value(GlobalFlags.RpcTimeout) is { } t
                ? GoDuration.TryParse(t, out var d) && d > TimeSpan.Zero ? d : throw CtlException.Usage($"invalid --rpc-timeout \"{t}\"")
                : TimeSpan.FromMinutes(10);
            var tls = LoadTls(parsed);
            using var context = new CommandContext(() => new MasterClient(MasterAddresses.Parse(addressText, tls != null), timeout, tls), format, stdout);
            var result = await command.RunAsync(context, parsed, ct);
            var ok = result["result"]?.GetValue<bool>() == true;
            if (ok && command is ITextResult text) stdout.WriteLine(text.TextOf(result));
            else Print(stdout, result, format);
            return ok ? 0 : 1;
        }
        catch (Exception ex) when (ToCtl(ex) is { } error)
        {
            Print(stdout, ResultJson.Failed(error.Message), format);
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            stderr.WriteLine("interrupted");
            return 130;
        }
    }

    private static CtlException? ToCtl(Exception ex) => ex switch
    {
        CtlException c => c,
        DmException dm => CtlException.From(dm),
        Dm.Core.Api.ApiJsonException json => CtlException.From(DmErrors.ErrOpenAPICommonError.Wrap(json)),
        _ => null,
    };

    /// <summary>The command is the first argument that is neither a global flag nor a global flag's value.</summary>
    private static (ICommand? Command, List<string> Remaining) SplitCommand(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--") break;
            if (arg.StartsWith('-'))
            {
                var name = arg.TrimStart('-');
                if (name.Contains('=')) continue;
                var spec = GlobalFlags.All.FirstOrDefault(f => f.Long == name || f.Short == name);
                if (spec is { Kind: not FlagKind.Bool }) i++;
                continue;
            }
            var command = CommandCatalog.Find(arg) ?? throw CtlException.Usage($"unknown command \"{arg}\" for \"dmctl\"; run `dmctl --help`");
            var rest = args.ToList();
            rest.RemoveAt(i);
            return (command, rest);
        }
        return (null, args.ToList());
    }

    /// <summary>--ssl-ca (with --ssl-cert and --ssl-key to present a certificate): https to the masters; null without them.</summary>
    private static TlsIdentity? LoadTls(ParsedArguments parsed)
    {
        var settings = new TlsSettings
        {
            SslCa = parsed.Value(GlobalFlags.SslCa) ?? "",
            SslCert = parsed.Value(GlobalFlags.SslCert) ?? "",
            SslKey = parsed.Value(GlobalFlags.SslKey) ?? "",
        };
        try
        {
            return TlsIdentity.Load(settings, server: false);
        }
        catch (TlsConfigException e)
        {
            throw CtlException.Usage(e.Message);
        }
    }

    private static void RejectUnsupportedGlobals(ParsedArguments parsed)
    {
        if (parsed.Has(GlobalFlags.Config))
            throw CtlException.Usage("--config: dmctl config files are not supported; use --master-addr/--rpc-timeout or DM_MASTER_ADDR");
    }

    private static OutputFormat ParseFormat(string? text) => text?.ToLowerInvariant() switch
    {
        null or "json" => OutputFormat.Json,
        "table" => OutputFormat.Table,
        _ => throw CtlException.Usage($"invalid --output \"{text}\": expected json or table"),
    };

    private static void Print(TextWriter stdout, JsonObject result, OutputFormat format)
    {
        stdout.WriteLine(format == OutputFormat.Table ? TableRenderer.Render(result) : ResultJson.Render(result));
        stdout.Flush();
    }

    private static string VersionText()
    {
        var version = typeof(DmctlApplication).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        return $"Release Version: {version}\nGit Branch: dm-sharp\nGo Version: none (.NET {Environment.Version})";
    }
}
