using Grpc.Core;

namespace Dm.Contracts;

/// <summary>
/// How a master that is not the leader turns a worker away (see worker_hub.proto): FAILED_PRECONDITION with the
/// leader's client address in the <c>dm-leader-addr</c> trailer, or UNAVAILABLE without one while no master leads.
/// </summary>
public static class LeaderRedirect
{
    public const string LeaderAddressTrailer = "dm-leader-addr";

    /// <summary>The answer of a follower: call <paramref name="leaderAddress"/> instead.</summary>
    public static RpcException ToLeader(string self, string leaderName, string leaderAddress) =>
        new(new Status(StatusCode.FailedPrecondition, $"dm-master {self} is not the leader; the leader is {leaderName} at {leaderAddress}"),
            new Metadata { { LeaderAddressTrailer, leaderAddress } });

    /// <summary>The answer while no master leads.</summary>
    public static RpcException NoLeader(string self) =>
        new(new Status(StatusCode.Unavailable, $"dm-master {self} is not the leader and no master leads now: an election is in progress"));

    /// <summary>The leader's address a master's refusal named, if it named one.</summary>
    public static string? LeaderAddressOf(RpcException e) =>
        e.StatusCode == StatusCode.FailedPrecondition ? e.Trailers.GetValue(LeaderAddressTrailer) : null;
}
