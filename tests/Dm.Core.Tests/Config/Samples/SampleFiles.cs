using System.Runtime.CompilerServices;

namespace Dm.Core.Tests.Config.Samples;

/// <summary>Reads the DM-style sample files next to this source file (no build-output copying needed).</summary>
internal static class SampleFiles
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(Here(), name));

    private static string Here([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
