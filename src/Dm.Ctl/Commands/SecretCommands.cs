using System.Text.Json.Nodes;
using Dm.Ctl.Cli;
using Dm.Ctl.Output;

namespace Dm.Ctl.Commands;

/// <summary>
/// encrypt &lt;plain-text&gt; / decrypt &lt;cipher-text&gt;: as in DM, the master does it with its secret key
/// (<c>secret-key-path</c>), so the cipher text is one every master and worker of the cluster accepts as a
/// password in source.yaml and task.yaml. Prints the text alone, as DM's encrypt does. The master decrypts only for an
/// authenticated client: dmctl's TLS certificate (--ssl-cert), or, without TLS, the cluster's join secret read from
/// <c>--join-secret-file</c> (a master's <c>&lt;data-dir&gt;/join-secret</c>).
/// </summary>
public sealed class SecretCommand(bool encrypt) : ICommand, ITextResult
{
    /// <summary>The worker channel's join secret header (Dm.Contracts' WorkerChannelAuth.SecretHeader), which the API's decrypt takes too.</summary>
    private const string JoinSecretHeader = "dm-join-secret";

    private string Input => encrypt ? "plaintext" : "ciphertext";
    private string Output => encrypt ? "ciphertext" : "plaintext";

    public string Name => encrypt ? "encrypt" : "decrypt";
    public string Usage => encrypt ? "encrypt <plain-text>" : "decrypt <cipher-text>";
    public string Description => encrypt
        ? "encrypts plain text to cipher text with the master's secret key"
        : "decrypts cipher text made by encrypt, with the master's secret key";
    public IReadOnlyList<FlagSpec> Flags { get; } = encrypt ? [] :
        [FlagSpec.Value("join-secret-file", null, "file holding the cluster's join secret (a master's <data-dir>/join-secret): authenticates decrypt without TLS")];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        if (args.Positional.Count != 1) throw CtlException.Usage($"{Usage}: exactly one argument");
        var headers = new Dictionary<string, string>();
        if (!encrypt && args.Value("join-secret-file") is { } secretFile)
        {
            string secret;
            try { secret = File.ReadAllText(secretFile).Trim().Split('\n')[0].Trim(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CtlException.Usage($"--join-secret-file {secretFile}: {e.Message}");
            }
            if (secret.Length == 0) throw CtlException.Usage($"--join-secret-file {secretFile} is empty");
            headers[JoinSecretHeader] = secret;
        }
        var answer = await context.Master.PostAsync($"/api/v1/{Name}", new JsonObject { [Input] = args.Positional[0] }, headers, ct);
        var text = answer?[Output]?.GetValue<string>() ?? throw CtlException.Usage($"dm-master answered {Name} without {Output}");
        var result = ResultJson.Ok();
        result[Output] = text;
        return result;
    }

    public string TextOf(JsonObject result) => result[Output]!.GetValue<string>();
}
