using System.Text.Json.Nodes;
using Dm.Ctl.Cli;
using Dm.Ctl.Output;

namespace Dm.Ctl.Commands;

/// <summary>
/// encrypt &lt;plain-text&gt; / decrypt &lt;cipher-text&gt;: as in DM, the master does it with its secret key
/// (<c>secret-key-path</c>), so the cipher text is one every master and worker of the cluster accepts as a
/// password in source.yaml and task.yaml. Prints the text alone, as DM's encrypt does.
/// </summary>
public sealed class SecretCommand(bool encrypt) : ICommand, ITextResult
{
    private string Input => encrypt ? "plaintext" : "ciphertext";
    private string Output => encrypt ? "ciphertext" : "plaintext";

    public string Name => encrypt ? "encrypt" : "decrypt";
    public string Usage => encrypt ? "encrypt <plain-text>" : "decrypt <cipher-text>";
    public string Description => encrypt
        ? "encrypts plain text to cipher text with the master's secret key"
        : "decrypts cipher text made by encrypt, with the master's secret key";
    public IReadOnlyList<FlagSpec> Flags { get; } = [];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        if (args.Positional.Count != 1) throw CtlException.Usage($"{Usage}: exactly one argument");
        var answer = await context.Master.PostAsync($"/api/v1/{Name}", new JsonObject { [Input] = args.Positional[0] }, ct);
        var text = answer?[Output]?.GetValue<string>() ?? throw CtlException.Usage($"dm-master answered {Name} without {Output}");
        var result = ResultJson.Ok();
        result[Output] = text;
        return result;
    }

    public string TextOf(JsonObject result) => result[Output]!.GetValue<string>();
}
