using Dm.Core.Errors;

namespace Dm.Core.Config;

/// <summary>
/// The task.yaml settings DM# does not apply, refused (DM's 20003 naming the key and why) when a task gives them a value
/// other than DM's default, so that no setting is accepted and then ignored. Every other key of DM's task config is
/// applied; keys DM itself deprecated and ignores (<c>mydumper-path</c>, <c>meta-file</c>, <c>max-retry</c>,
/// <c>auto-fix-gtid</c>, syncer <c>enable-gtid</c>, <c>disable-detect</c>, <c>enable-ansi-quotes</c>, <c>enable-heartbeat</c>,
/// <c>timezone</c>) are ignored as DM ignores them, and the physical-import keys of <c>loaders</c> go with the
/// physical import mode, which the Load unit refuses.
/// </summary>
public static class UnitSettingSupport
{
    /// <summary>Throws for the first setting of <paramref name="st"/> DM# would not apply.</summary>
    public static void Check(SubTaskConfig st)
    {
        void Refuse(string key, string value, string why) =>
            throw DmErrors.ErrConfigYamlTransform.New(
                $"source {st.SourceId}: {key} is {value}, which DM# does not apply ({why}); remove it or give DM's default");
        if (st.Mydumper.ChunkFilesize is not ("64" or ""))
            Refuse("mydumpers.chunk-filesize", st.Mydumper.ChunkFilesize, "the dump is split into primary-key chunks of mydumpers.rows rows, not by file size");
        if (!st.Mydumper.SkipTzUtc)
            Refuse("mydumpers.skip-tz-utc", "false", "the dump always reads time values in UTC, as the load and Sync write them");
        if (st.Validator.Mode != "none")
            Refuse("validators.mode", st.Validator.Mode, "the continuous validator is not built");
        if (st.CollationCompatible == "strict")
            Refuse("collation_compatible", "strict", "tables are created with the dump's CREATE statements as they are, as in loose mode");
    }
}
