using System.Globalization;
using Dm.Binlog.Replication;

namespace Dm.Worker.Relay;

/// <summary>
/// One sub-directory of a relay log: the binlog files pulled from one upstream server, named DM's way
/// <c>&lt;server-uuid&gt;.&lt;6-digit suffix&gt;</c> (the suffix counts the servers the relay has followed), with its
/// <c>relay.meta</c>. Files keep the upstream's names; positions name them in DM's relay form
/// <c>mysql-bin|000001.000003</c> (<see cref="RelayName"/>).
/// </summary>
internal sealed record RelaySubDirectory(string Name, string Uuid, int Suffix, string Path)
{
    public const string MetaFile = "relay.meta";

    public string MetaPath => System.IO.Path.Combine(Path, MetaFile);

    /// <summary>The sub-directory <paramref name="name"/> under <paramref name="basePath"/>; false when the name is not DM's form.</summary>
    public static bool TryParse(string basePath, string name, out RelaySubDirectory subDirectory)
    {
        subDirectory = null!;
        var dot = name.LastIndexOf('.');
        if (dot <= 0 || name.Length - dot - 1 != 6 ||
            !int.TryParse(name.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) || suffix <= 0)
            return false;
        // One directory inside the relay dir: a name with a separator (from a tampered index or a strange server_uuid)
        // would let a purge delete outside it.
        if (name.IndexOfAny(['/', '\\', '\0']) >= 0 || name[..dot] is "." or "..")
            return false;
        subDirectory = new RelaySubDirectory(name, name[..dot], suffix, System.IO.Path.Combine(basePath, name));
        return true;
    }

    /// <summary>DM's name of the sub-directory for server <paramref name="uuid"/> with <paramref name="suffix"/>.</summary>
    public static string NameOf(string uuid, int suffix) => $"{uuid}.{suffix.ToString("D6", CultureInfo.InvariantCulture)}";

    /// <summary>A file of this sub-directory in DM's relay form (<c>mysql-bin|000001.000003</c>).</summary>
    public string RelayName(string upstreamFile) => BinlogFileName.Parse(upstreamFile).WithRelaySuffix(Suffix).Name;

    public string FilePath(string upstreamFile) => System.IO.Path.Combine(Path, upstreamFile);

    /// <summary>The binlog files in the sub-directory (their upstream names), oldest first.</summary>
    public IReadOnlyList<string> BinlogFiles()
    {
        if (!Directory.Exists(Path)) return [];
        return Directory.EnumerateFiles(Path)
            .Select(System.IO.Path.GetFileName)
            .Where(f => f is not null && IsBinlogFile(f))
            .Select(f => BinlogFileName.Parse(f!))
            .Order()
            .Select(f => f.Name)
            .ToList();
    }

    /// <summary>A binlog file's name: a base name, a dot and digits (not relay.meta, not a temporary file).</summary>
    public static bool IsBinlogFile(string fileName)
    {
        var name = BinlogFileName.Parse(fileName);
        return name.Sequence >= 0 && name.RelaySuffix is null && !DurableFile.IsTemporary(fileName) && fileName != MetaFile;
    }
}
