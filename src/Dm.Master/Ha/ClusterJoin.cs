using Dm.Contracts;
using Dm.Core.CommandLine;
using Dm.Core.Errors;
using Dm.Core.Tls;
using Dm.Master.Hosting;
using Grpc.Core;

namespace Dm.Master.Ha;

/// <summary>
/// The joining master's side of <c>--join</c>: asks the masters named, in turn, to add it as an etcd member
/// (<see cref="MasterPeerService"/>) and returns the initial cluster its member starts with. Masters that cannot be
/// reached are tried again for a minute; a refusal (a master without etcd member, a name taken) stops at once.
/// </summary>
public static class ClusterJoin
{
    private static readonly TimeSpan TryFor = TimeSpan.FromMinutes(1);

    /// <exception cref="ProcessConfigException">no master added this one (DM's 38040), with each master's answer.</exception>
    /// <param name="tls">the master's TLS: the masters are asked over https, with its certificate.</param>
    public static async Task<string> JoinAsync(ClusterSetup setup, MasterOptions options, TlsIdentity? tls, ILogger logger, CancellationToken ct)
    {
        var request = new AddMemberRequest { Name = options.Name };
        request.PeerUrls.AddRange(setup.AdvertisePeerUrls);
        var deadline = DateTime.UtcNow + TryFor;
        var failures = new List<string>();
        while (true)
        {
            failures.Clear();
            foreach (var address in setup.JoinAddresses)
            {
                using var channel = GrpcWebChannel.Open(address, tls);
                try
                {
                    var response = await new MasterPeer.MasterPeerClient(channel).AddMemberAsync(request, deadline: DateTime.UtcNow.AddSeconds(15),
                        cancellationToken: ct);
                    logger.LogInformation("joined the cluster through dm-master {Address}: initial cluster {InitialCluster}", address, response.InitialCluster);
                    return response.InitialCluster;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.FailedPrecondition or StatusCode.AlreadyExists or StatusCode.InvalidArgument)
                {
                    throw Failed($"{address}: {e.Status.Detail}");
                }
                catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled || !ct.IsCancellationRequested)
                {
                    failures.Add($"{address}: {e.Status.Detail}");
                }
            }
            if (DateTime.UtcNow >= deadline) throw Failed(string.Join("; ", failures));
            logger.LogWarning("no master of join {Join} added this one yet ({Failures}); trying again", string.Join(',', setup.JoinAddresses), string.Join("; ", failures));
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    private static ProcessConfigException Failed(string detail) =>
        new(DmErrors.ErrMasterJoinEmbedEtcdFail.New(detail).ToErrorMessage());
}
