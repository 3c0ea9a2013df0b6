namespace Dm.Core.Api;

// Cluster members and the stored topology (/cluster/*).

public sealed record ClusterMaster
{
    public required string Addr { get; init; }
    public required bool Alive { get; init; }
    public required bool Leader { get; init; }
    public required string Name { get; init; }
}

public sealed record ClusterWorker
{
    public required string Addr { get; init; }
    public required string BoundSourceName { get; init; }
    public required string BoundStage { get; init; }
    public required string Name { get; init; }
}

public sealed record MasterTopology
{
    public required string Host { get; init; }
    public required string Name { get; init; }
    public required int Port { get; init; }
}

public sealed record WorkerTopology
{
    public required string Host { get; init; }
    public required string Name { get; init; }
    public required int Port { get; init; }
}

public sealed record GrafanaTopology
{
    public required string Host { get; init; }
    public required int Port { get; init; }
}

public sealed record PrometheusTopology
{
    public required string Host { get; init; }
    public required int Port { get; init; }
}

public sealed record AlertManagerTopology
{
    public required string Host { get; init; }
    public required int Port { get; init; }
}

public sealed record ClusterTopology
{
    public AlertManagerTopology? AlertManagerTopology { get; init; }
    public GrafanaTopology? GrafanaTopology { get; init; }
    public List<MasterTopology>? MasterTopologyList { get; init; }
    public PrometheusTopology? PrometheusTopology { get; init; }
    public List<WorkerTopology>? WorkerTopologyList { get; init; }
}

public sealed record GetClusterInfoResponse
{
    public required ulong ClusterId { get; init; }
    public ClusterTopology? Topology { get; init; }
}

public sealed record GetClusterMasterListResponse
{
    public required List<ClusterMaster> Data { get; init; }
    public required int Total { get; init; }
}

public sealed record GetClusterWorkerListResponse
{
    public required List<ClusterWorker> Data { get; init; }
    public required int Total { get; init; }
}
