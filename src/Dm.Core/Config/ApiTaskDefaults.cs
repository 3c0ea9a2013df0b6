using Dm.Core.Api;
using Dm.Core.Errors;

namespace Dm.Core.Config;

/// <summary>DM's openapi Task.Adjust: defaults the meta schema, checks the timezone, and reads DM's older
/// <c>overwrite</c> as the <c>replace</c> it was renamed to.</summary>
public static class ApiTaskDefaults
{
    /// <summary>The spec says "dm-meta" but DM's code uses "dm_meta"; we follow the code.</summary>
    public const string MetaSchema = "dm_meta";

    public static DmTask Adjust(DmTask task)
    {
        if (task.Timezone is { Length: > 0 } tz && !TimezoneName.IsValid(tz))
            throw DmErrors.ErrConfigInvalidTimezone.New(tz);
        if (task.OnDuplicate == OnDuplicate.Overwrite)
            task = task with { OnDuplicate = OnDuplicate.Replace };
        if (task.SourceConfig.FullMigrateConf is { OnDuplicateLogical: OnDuplicate.Overwrite } full)
            task = task with { SourceConfig = task.SourceConfig with { FullMigrateConf = full with { OnDuplicateLogical = OnDuplicate.Replace } } };
        return task.MetaSchema is null ? task with { MetaSchema = MetaSchema } : task;
    }
}
