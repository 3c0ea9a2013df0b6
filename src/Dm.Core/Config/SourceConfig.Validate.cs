using System.Text.RegularExpressions;
using Dm.Core.Errors;
using Dm.Core.Rules;

namespace Dm.Core.Config;

// DM's SourceConfig.Verify.
public sealed partial class SourceConfig
{
    /// <summary>
    /// 40005 empty source-id, 40006 too long, 40007 bad relay-binlog-name, 11010 unknown flavor,
    /// 11009 malformed relay-binlog-gtid (syntax for the flavor), 20037 bad filters, 20043 backoff-max &lt; backoff-min.
    /// </summary>
    public void Validate()
    {
        if (SourceId.Length == 0)
            throw DmErrors.ErrWorkerNeedSourceID.New();
        if (SourceId.Length > MaxSourceIdLength)
            throw DmErrors.ErrWorkerTooLongSourceID.New(SourceId, MaxSourceIdLength);
        if (RelayBinlogName.Length > 0 && !BinlogFileName().IsMatch(RelayBinlogName))
            throw DmErrors.ErrWorkerRelayBinlogName.New(RelayBinlogName);
        if (Flavor.Length > 0 && Flavor is not ("mysql" or "mariadb"))
            throw DmErrors.ErrNotSupportedFlavor.New(Flavor);
        if (!GtidSetSyntax.IsValid(Flavor, RelayBinlogGtid))
            throw DmErrors.ErrParseGTID.New($"relay-binlog-gtid {RelayBinlogGtid}");
        try
        {
            _ = new BinlogEventFilter(Filters, CaseSensitive);
        }
        catch (ArgumentException ex)
        {
            throw DmErrors.ErrConfigBinlogEventFilter.Wrap(ex);
        }
        if (Checker.BackoffMax < Checker.BackoffMin)
            throw DmErrors.ErrConfigCheckerMaxTooSmall.New(GoDuration.Format(Checker.BackoffMax), GoDuration.Format(Checker.BackoffMin));
    }

    /// <summary>DM's VerifyFilename: base name, a dot, and a numeric suffix (e.g. mysql-bin.000001).</summary>
    [GeneratedRegex(@"^[^./\\][^/\\]*\.[0-9]+$")]
    private static partial Regex BinlogFileName();
}
