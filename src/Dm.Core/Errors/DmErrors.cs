namespace Dm.Core.Errors;

/// <summary>
/// DM's error catalogue (entries generated in DmErrors.Catalog.cs) and lookups over it.
/// </summary>
public static partial class DmErrors
{
    private static readonly Lazy<IReadOnlyDictionary<int, DmError>> ByCodeMap =
        new(() => All.GroupBy(e => e.Code).ToDictionary(g => g.Key, g => g.First()));

    /// <summary>The catalogue entry with this numeric code, or null.</summary>
    public static DmError? ByCode(int code) => ByCodeMap.Value.GetValueOrDefault(code);

    /// <summary>Every scheduler error (46xxx).</summary>
    public static IEnumerable<DmError> Scheduler => All.Where(e => e.Code is >= 46000 and < 47000);
}
