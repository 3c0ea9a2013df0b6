namespace Dm.Core.Upstream;

/// <summary>What POST/PUT /sources fills in or verifies from the upstream itself.</summary>
public sealed record SourceAdjustment(string Flavor, uint ServerId, bool CaseSensitive, ServerInfo Info);

/// <summary>
/// DM's adjustment of a source config against its upstream: flavor detected when empty, a replication server-id
/// picked when 0, gtid_mode=ON required with enable-gtid (MySQL), case sensitivity from lower_case_table_names.
/// </summary>
public static class SourceProbe
{
    /// <param name="flavor">The config's flavor: "" (detect), "mysql" or "mariadb".</param>
    /// <param name="serverId">The config's server-id; 0 picks one.</param>
    /// <param name="serverIdsInUse">Server-ids other sources of this cluster already replicate with.</param>
    public static async Task<SourceAdjustment> AdjustAsync(DatabaseEndpoint endpoint, string flavor, uint serverId, bool enableGtid,
        IReadOnlySet<uint> serverIdsInUse, CancellationToken cancellationToken)
    {
        if (flavor != "" && !ServerFlavor.IsKnown(flavor))
            throw new UpstreamException(UpstreamErrorCodes.NotSupportedFlavor,
                $"flavor {flavor} not supported, Workaround: Please check `flavor` config in source configuration file.");
        await using var inspector = await UpstreamInspector.ConnectAsync(endpoint, cancellationToken);
        var info = await inspector.ReadServerInfoAsync(cancellationToken);
        if (enableGtid) UpstreamInspector.EnsureGtidUsable(info, endpoint);
        if (serverId == 0) serverId = await inspector.PickReplicationServerIdAsync(info, serverIdsInUse, cancellationToken);
        return new SourceAdjustment(flavor == "" ? info.Flavor : flavor, serverId, info.CaseSensitive, info);
    }
}
