using Dm.Core.Api;

namespace Dm.Worker.Units;

/// <summary>The progress a unit reports: exactly one of Dump's, Load's or Sync's status, as the API shows them.</summary>
public sealed class UnitStatus
{
    public UnitStatus(DumpStatus dump) => Dump = dump ?? throw new ArgumentNullException(nameof(dump));

    public UnitStatus(LoadStatus load) => Load = load ?? throw new ArgumentNullException(nameof(load));

    public UnitStatus(SyncStatus sync) => Sync = sync ?? throw new ArgumentNullException(nameof(sync));

    public DumpStatus? Dump { get; }

    public LoadStatus? Load { get; }

    public SyncStatus? Sync { get; }
}
