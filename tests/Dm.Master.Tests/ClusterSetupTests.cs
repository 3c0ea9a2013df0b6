using Dm.Core.CommandLine;
using Dm.Master.Ha;
using Dm.Master.Hosting;

namespace Dm.Master.Tests;

/// <summary>
/// Which cluster state a master's flags and TOML keys ask for, and the contradictions refused at start (naming the
/// flag) instead of being accepted and ignored.
/// </summary>
public sealed class ClusterSetupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dm-cluster-setup-").FullName;

    private ClusterSetup Setup(params string[] args) => ClusterSetup.From(MasterCommandLine.Parse(["--data-dir", _dir, .. args]));

    private string Refused(params string[] args) => Assert.Throws<ProcessConfigException>(() => Setup(args)).Message;

    [Fact]
    public void Without_ha_flags_the_master_runs_alone_on_its_local_store_peer_urls_or_not()
    {
        Assert.Equal(ClusterStateKind.Local, Setup().Kind);
        Assert.Equal(ClusterStateKind.Local, Setup("--peer-urls", "http://127.0.0.1:18291").Kind);
        // A TOML written by `config master` holds every key, empty when not set.
        Assert.Equal(ClusterStateKind.Local, Setup("--initial-cluster", "", "--join", "", "--etcd-endpoints", "").Kind);
    }

    [Fact]
    public void Initial_cluster_join_and_etcd_endpoints_choose_the_store()
    {
        var member = Setup("--name", "m1", "--peer-urls", "http://127.0.0.1:8291",
            "--initial-cluster", "m1=http://127.0.0.1:8291,m2=http://127.0.0.1:8292", "--max-txn-ops", "4096");
        Assert.Equal(ClusterStateKind.EtcdMember, member.Kind);
        Assert.Equal([("m1", "http://127.0.0.1:8291"), ("m2", "http://127.0.0.1:8292")], member.Initial!.Entries);
        Assert.Equal(Path.Combine(_dir, "etcd"), member.MemberDataDir);
        Assert.False(member.MemberInitialised);

        var joining = Setup("--name", "m4", "--peer-urls", "http://127.0.0.1:8294", "--join", "127.0.0.1:8261, 127.0.0.1:8361");
        Assert.Equal(ClusterStateKind.EtcdMember, joining.Kind);
        Assert.Equal(["127.0.0.1:8261", "127.0.0.1:8361"], joining.JoinAddresses);

        var external = Setup("--etcd-endpoints", "http://10.0.0.1:2379,10.0.0.2:2379", "--advertise-addr", "10.0.0.5:8261");
        Assert.Equal(ClusterStateKind.ExternalEtcd, external.Kind);
        Assert.Equal(["http://10.0.0.1:2379", "10.0.0.2:2379"], external.EtcdEndpoints);
    }

    [Fact]
    public void Contradictions_and_keys_the_chosen_store_cannot_honour_are_refused_by_name()
    {
        Assert.Contains("initial-cluster and join", Refused("--initial-cluster", "x=http://127.0.0.1:1", "--join", "127.0.0.1:8261"));
        Assert.Contains("etcd-endpoints cannot be given with initial-cluster or join", Refused("--etcd-endpoints", "127.0.0.1:2379", "--join", "127.0.0.1:8261"));
        Assert.Contains("max-txn-ops", Refused("--max-txn-ops", "4096"));
        Assert.Contains("runs alone on its local store", Refused("--quota-backend-bytes", "1024"));
        Assert.Contains("uses etcd-endpoints", Refused("--etcd-endpoints", "127.0.0.1:2379", "--auto-compaction-mode", "revision"));
        Assert.Contains("initial-cluster-state applies to initial-cluster", Refused("--initial-cluster-state", "existing"));
        Assert.Contains("must be new or existing", Refused("--initial-cluster-state", "old"));
        Assert.Contains("election-ttl", Refused("--election-ttl", "500ms"));
        Assert.Contains("invalid value", Refused("--max-txn-ops", "many"));
        // This master must be in its initial cluster, under its name, with its advertise peer URLs.
        Assert.Contains("must name this master (m9)", Refused("--name", "m9", "--initial-cluster", "m1=http://127.0.0.1:8291"));
        Assert.Contains("advertise-peer-urls", Refused("--name", "m1", "--peer-urls", "http://127.0.0.1:9999", "--initial-cluster", "m1=http://127.0.0.1:8291"));
        Assert.Contains("not an http://host:port URL", Refused("--name", "m1", "--initial-cluster", "m1=127.0.0.1"));
        Assert.Contains("TLS between masters needs ssl-ca, ssl-cert and ssl-key", Refused("--name", "m1", "--initial-cluster", "m1=https://127.0.0.1:8291"));
        Assert.Contains("is not name=peer-url", Refused("--initial-cluster", "http://127.0.0.1:8291"));
        // Others forward to and redirect to the advertise address: it must name a host.
        Assert.Contains("advertise-addr \":8261\" names no host",
            Refused("--master-addr", ":8261", "--etcd-endpoints", "127.0.0.1:2379"));
    }

    [Fact]
    public void With_tls_keys_the_members_talk_https_and_etcd_is_reached_over_tls_only()
    {
        string[] tls = ["--ssl-ca", "ca.pem", "--ssl-cert", "m1.pem", "--ssl-key", "m1-key.pem"];
        // As DM's master does with TLS keys: http:// peer URLs become https:// (the initial cluster's too).
        var member = Setup([.. tls, "--name", "m1", "--peer-urls", "http://127.0.0.1:8291", "--initial-cluster", "m1=http://127.0.0.1:8291,m2=https://127.0.0.1:8292"]);
        Assert.Equal(["https://127.0.0.1:8291"], member.PeerUrls);
        Assert.Equal(["https://127.0.0.1:8291"], member.AdvertisePeerUrls);
        Assert.Equal([("m1", "https://127.0.0.1:8291"), ("m2", "https://127.0.0.1:8292")], member.Initial!.Entries);
        Assert.Equal(["https://10.0.0.1:2379"], Setup([.. tls, "--etcd-endpoints", "https://10.0.0.1:2379", "--advertise-addr", "10.0.0.5:8261"]).EtcdEndpoints);

        Assert.Contains("must all be https://", Refused([.. tls, "--etcd-endpoints", "https://10.0.0.1:2379,10.0.0.2:2379", "--advertise-addr", "10.0.0.5:8261"]));
        Assert.Contains("are https: TLS to etcd needs ssl-ca", Refused("--etcd-endpoints", "https://10.0.0.1:2379", "--advertise-addr", "10.0.0.5:8261"));
        Assert.Contains("names several common names", Refused([.. tls, "--cert-allowed-cn", "dm,ops", "--name", "m1", "--initial-cluster", "m1=http://127.0.0.1:8291"]));
        Assert.Equal(ClusterStateKind.ExternalEtcd, Setup([.. tls, "--cert-allowed-cn", "dm,ops", "--etcd-endpoints", "https://10.0.0.1:2379",
            "--advertise-addr", "10.0.0.5:8261"]).Kind);
    }

    [Fact]
    public void A_data_dir_holding_the_other_kind_of_state_is_refused()
    {
        File.WriteAllText(Path.Combine(_dir, "cluster-state.db"), "");
        Assert.Contains("holds the local store of a single master", Refused("--etcd-endpoints", "127.0.0.1:2379"));
        File.Delete(Path.Combine(_dir, "cluster-state.db"));
        Directory.CreateDirectory(Path.Combine(_dir, "etcd", "member", "wal"));
        Assert.Contains("holds an etcd member", Refused());
        Assert.True(Setup("--name", "m1", "--join", "127.0.0.1:8261").MemberInitialised);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
