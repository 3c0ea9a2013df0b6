using System.Text;

namespace Dm.Master.State;

/// <summary>
/// Where the master keeps each kind of state in the cluster store. As in DM, every name inside a key
/// is hex-encoded, so names with '/', spaces or anything else cannot collide or escape their prefix.
/// </summary>
public static class MasterKeys
{
    public const string ClusterId = "/dm-cluster/id";
    public const string ClusterTopology = "/dm-cluster/topology";
    public const string SourcePrefix = "/dm-master/v2/upstream/config/";
    public const string TaskPrefix = "/dm-master/v2/task/";
    public const string SubtaskStagePrefix = "/dm-master/stage/subtask/";
    public const string TaskCliArgsPrefix = "/dm-master/task-cli-args/";
    public const string TemplatePrefix = "/dm-master/openapi-task-template/";
    public const string RelayWorkerPrefix = "/dm-master/relay-worker/";
    public const string RelayStagePrefix = "/dm-master/v2/stage/relay/";
    public const string BoundWorkerPrefix = "/dm-master/bound-worker/";
    public const string LastBoundWorkerPrefix = "/dm-master/last-bound-worker/";
    public const string WorkerRegisterPrefix = "/dm-worker/r/";
    public const string WorkerKeepAlivePrefix = "/dm-worker/a/";
    public const string MasterMemberPrefix = "/dm-master/member/";
    /// <summary>A master's key on its election session's lease: it exists while the master runs.</summary>
    public const string MasterAlivePrefix = "/dm-master/alive/";
    /// <summary>The election of the leader master (DM's key); candidates are <c>/dm-master/leader/&lt;lease id&gt;</c>.</summary>
    public const string LeaderElection = "/dm-master/leader";
    /// <summary>DM#: the cluster's join secret, which every call of a worker carries (encrypted when the master has a secret key).</summary>
    public const string JoinSecret = "/dm-master/join-secret";

    /// <summary>The prefixes whose values hold secrets (passwords, TLS private keys): their history is compacted after each write.</summary>
    public static readonly IReadOnlyList<string> SecretPrefixes = [SourcePrefix, TaskPrefix, TemplatePrefix, JoinSecret];

    public static string Source(string source) => SourcePrefix + Hex(source);
    public static string Task(string task) => TaskPrefix + Hex(task);
    public static string SubtaskStage(string source, string task) => SubtaskStagePrefix + Hex(source) + "/" + Hex(task);
    public static string SubtaskStagesOfSource(string source) => SubtaskStagePrefix + Hex(source) + "/";
    public static string TaskCliArgs(string task, string source) => TaskCliArgsPrefix + Hex(task) + "/" + Hex(source);
    public static string TaskCliArgsOfTask(string task) => TaskCliArgsPrefix + Hex(task) + "/";
    public static string Template(string task) => TemplatePrefix + Hex(task);
    public static string RelayWorker(string worker) => RelayWorkerPrefix + Hex(worker);
    public static string RelayStage(string source) => RelayStagePrefix + Hex(source);
    public static string BoundWorker(string worker) => BoundWorkerPrefix + Hex(worker);
    public static string LastBoundWorker(string worker) => LastBoundWorkerPrefix + Hex(worker);
    public static string WorkerRegister(string worker) => WorkerRegisterPrefix + Hex(worker);
    public static string WorkerKeepAlive(string worker) => WorkerKeepAlivePrefix + Hex(worker);
    public static string MasterMember(string master) => MasterMemberPrefix + Hex(master);
    public static string MasterAlive(string master) => MasterAlivePrefix + Hex(master);

    /// <summary>The shard-DDL locks of <paramref name="task"/> under one mode's <paramref name="lockPrefix"/>.</summary>
    public static string TaskLocks(string lockPrefix, string task) => lockPrefix + Hex(task) + "/";

    public static string Hex(string name) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(name));

    /// <summary>The name encoded in the last segment of <paramref name="key"/>.</summary>
    public static string LastName(string key) => Unhex(key[(key.LastIndexOf('/') + 1)..]);

    /// <summary>The two names of a <c>prefix/hex(a)/hex(b)</c> key.</summary>
    public static (string First, string Second) TwoNames(string key, string prefix)
    {
        var rest = key[prefix.Length..];
        var slash = rest.IndexOf('/');
        return (Unhex(rest[..slash]), Unhex(rest[(slash + 1)..]));
    }

    public static string Unhex(string hex) => Encoding.UTF8.GetString(Convert.FromHexString(hex));
}
