using Dm.Core.Config;
using Dm.Core.Upstream;

namespace Dm.Master.Precheck;

/// <summary>Which of DM's checking items (<see cref="CheckingItems"/>) a pre-check runs, given <c>ignore-checking-items</c>.</summary>
public static class CheckingItemSelection
{
    /// <summary>
    /// The items to run: every default item minus the ignored ones; "all" ignores everything.
    /// An unknown name is DM's config error 20001; an empty name is skipped, as DM does.
    /// </summary>
    public static IReadOnlySet<string> ToRun(IEnumerable<string> ignore)
    {
        var run = new HashSet<string>(CheckingItems.Known.Where(i => i != CheckingItems.PrimaryKey), StringComparer.Ordinal);
        foreach (var item in ignore)
        {
            if (item.Length == 0) continue;
            if (item == CheckingItems.All) return new HashSet<string>();
            if (!CheckingItems.Known.Contains(item))
                throw new UpstreamException(UpstreamErrorCodes.CheckItemNotSupported,
                    $"checking item {item} is not supported\nplease choose one of: {CheckingItems.All}, {string.Join(", ", CheckingItems.Known)}, " +
                    "Workaround: Please check `ignore-checking-items` config in task configuration file.");
            run.Remove(item);
        }
        return run;
    }
}
