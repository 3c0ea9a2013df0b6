namespace Dm.Master.Precheck.Checks;

/// <summary>One check to run: its checking-item name and the work producing its result.</summary>
internal sealed record PrecheckItem(string Item, Func<CancellationToken, Task<CheckResult>> Run);
