using Dm.Core.Config;

namespace Dm.Master.Precheck.Checks;

/// <summary>
/// conn_number (modes with a full copy): the loader needs pool-size + 1 connections on the target per source,
/// the dumper threads + 2 on each source (one to plan, one to hold the consistency lock); each must fit max_connections.
/// </summary>
internal static class ConnNumberCheck
{
    public static CheckResult Loader(TargetSnapshot target, int sources, int poolSize)
    {
        var need = sources * (poolSize + 1);
        return Compare("loader_conn_amount_checker", $"downstream's max_connections: {target.MaxConnections} is less than the amount loader needs: {need}",
            target.MaxConnections, need);
    }

    public static CheckResult Dumper(SourceSnapshot source, int threads)
    {
        var need = threads + 2;
        var r = Compare("dumper_conn_amount_checker", $"upstream's max_connections: {source.Info.MaxConnections} is less than the amount dumper needs: {need}",
            source.Info.MaxConnections, need);
        r.Extra = source.Extra;
        return r;
    }

    private static CheckResult Compare(string name, string message, int maxConnections, int need)
    {
        var r = new CheckResult { Item = CheckingItems.ConnNumber, Name = name, Desc = "check if user-specified amount of connection exceeds downstream's maximum" };
        if (need > maxConnections)
        {
            r.Add(CheckError.Failure(message));
            r.Instruction = "set larger max_connections or reduce the pool size of dm";
        }
        return r;
    }
}
