namespace Dm.Core.Upstream;

/// <summary>DM's flavor names (source.yaml <c>flavor</c>).</summary>
public static class ServerFlavor
{
    public const string MySql = "mysql";
    public const string MariaDb = "mariadb";

    /// <summary>DM's rule: MariaDB when the version string (or its comment) mentions it, else MySQL.</summary>
    public static string Detect(string version, string? versionComment) =>
        version.Contains("mariadb", StringComparison.OrdinalIgnoreCase) ||
        (versionComment?.Contains("mariadb", StringComparison.OrdinalIgnoreCase) ?? false)
            ? MariaDb
            : MySql;

    public static bool IsKnown(string flavor) => flavor is MySql or MariaDb;
}
