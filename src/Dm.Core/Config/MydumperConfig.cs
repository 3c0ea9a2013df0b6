using Dm.Core.Config.Yaml;

namespace Dm.Core.Config;

/// <summary>Dump unit settings (task.yaml <c>mydumpers.&lt;name&gt;</c> or inline <c>mydumper</c>).</summary>
public sealed class MydumperConfig
{
    public string MydumperPath { get; set; } = "./bin/mydumper";
    public int Threads { get; set; } = 4;
    /// <summary>Chunk file size in MB, as a string like DM ("64").</summary>
    public string ChunkFilesize { get; set; } = "64";
    public ulong StatementSize { get; set; }
    /// <summary>&gt;0 splits a table into row chunks exported concurrently.</summary>
    public ulong Rows { get; set; }
    public string Where { get; set; } = "";
    public bool SkipTzUtc { get; set; } = true;
    /// <summary>Dumpling command-line style extra arguments, e.g. "--consistency none".</summary>
    public string ExtraArgs { get; set; } = "";

    public MydumperConfig Clone() => (MydumperConfig)MemberwiseClone();

    /// <summary>Decodes over DM's defaults, as DM's UnmarshalYAML does.</summary>
    internal static MydumperConfig Read(YamlMap map)
    {
        var d = new MydumperConfig();
        d.MydumperPath = map.String("mydumper-path") ?? d.MydumperPath;
        d.Threads = map.Int("threads") ?? d.Threads;
        d.ChunkFilesize = map.String("chunk-filesize") ?? d.ChunkFilesize;
        d.StatementSize = map.UInt64("statement-size") ?? d.StatementSize;
        d.Rows = map.UInt64("rows") ?? d.Rows;
        d.Where = map.String("where") ?? d.Where;
        d.SkipTzUtc = map.Bool("skip-tz-utc") ?? d.SkipTzUtc;
        d.ExtraArgs = map.String("extra-args") ?? d.ExtraArgs;
        map.RejectUnknownKeys();
        return d;
    }

    internal YamlMapWriter Write() => new YamlMapWriter()
        .String("mydumper-path", MydumperPath).Int("threads", Threads).String("chunk-filesize", ChunkFilesize)
        .UInt("statement-size", StatementSize).UInt("rows", Rows).String("where", Where)
        .Bool("skip-tz-utc", SkipTzUtc).String("extra-args", ExtraArgs);
}
