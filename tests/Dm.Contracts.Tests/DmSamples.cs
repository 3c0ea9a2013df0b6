using System.Runtime.CompilerServices;

namespace Dm.Contracts.Tests;

/// <summary>DM's own sample task.yaml and source.yaml, as Dm.Core's tests keep them (read where they are).</summary>
internal static class DmSamples
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(Folder(), name));

    private static string Folder([CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "..", "Dm.Core.Tests", "Config", "Samples");
}
