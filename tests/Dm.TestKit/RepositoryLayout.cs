namespace Dm.TestKit;

/// <summary>Finds the repository and the built DM# programs from a test's output folder.</summary>
public static class RepositoryLayout
{
    /// <summary>The folder holding Dm.slnx.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whichever the running tests were built in, so programs match them.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";

    /// <summary>The built entry assembly of a program in <c>src/</c>, e.g. ("Dm.Master", "dm-master").</summary>
    public static string ProgramDll(string project, string assemblyName)
    {
        var path = Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", assemblyName + ".dll");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: build the solution ({Configuration}) before running the tests");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Dm.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Dm.slnx above {AppContext.BaseDirectory}");
    }
}
