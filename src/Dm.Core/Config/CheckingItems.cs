using Dm.Core.Errors;

namespace Dm.Core.Config;

/// <summary>Validation of <c>ignore-checking-items</c> in a task config (the names are the pre-check's).</summary>
public static class CheckingItems
{
    /// <summary>DM error 20001 for a name that is not a checking item; an empty name is skipped, as DM does.</summary>
    public static void Validate(string item)
    {
        if (item.Length == 0 || item == Precheck.CheckingItems.All) return;
        if (!Precheck.CheckingItems.Known.Contains(item, StringComparer.Ordinal))
            throw DmErrors.ErrConfigCheckItemNotSupport.New(item,
                "supported items: " + string.Join(", ", [Precheck.CheckingItems.All, .. Precheck.CheckingItems.Known]));
    }
}
