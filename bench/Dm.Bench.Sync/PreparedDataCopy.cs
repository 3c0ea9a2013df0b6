using Dm.TestKit;

namespace Dm.Bench.Sync;

/// <summary>
/// Gives every target the upstream's prepared data by starting them from a copy of its data dir (all servers
/// stopped cleanly first): byte-identical tables in seconds, where a dump and load would take minutes.
/// Binlogs live outside the data dir, so the targets do not inherit the upstream's.
/// </summary>
internal static class PreparedDataCopy
{
    public static async Task CopyAsync(MariaDbServer from, IReadOnlyList<MariaDbServer> to, CancellationToken cancellationToken)
    {
        await Task.WhenAll(to.Append(from).Select(s => s.StopAsync()));
        foreach (var target in to)
        {
            Directory.Delete(target.DataDirectory, recursive: true);
            CopyDirectory(from.DataDirectory, target.DataDirectory);
        }
        await Task.WhenAll(to.Append(from).Select(s => s.RestartAsync(cancellationToken)));
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
