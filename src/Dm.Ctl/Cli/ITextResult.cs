using System.Text.Json.Nodes;

namespace Dm.Ctl.Cli;

/// <summary>
/// A command whose successful answer DM's dmctl prints as bare text rather than JSON (encrypt prints the cipher
/// text alone, so scripts can capture it). Failures still print DM's JSON.
/// </summary>
public interface ITextResult
{
    /// <summary>The text to print for a successful <paramref name="result"/>.</summary>
    string TextOf(JsonObject result);
}
