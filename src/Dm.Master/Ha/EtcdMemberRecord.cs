using System.Text.Json;
using Dm.Master.State;

namespace Dm.Master.Ha;

/// <summary>
/// What a master notes in its data dir about the etcd member it runs (<c>etcd-member.json</c>): the process id and the
/// client URL. A master restarted after a crash finds its member still running there and uses it again; a member
/// started anew keeps its client port when that port is free.
/// </summary>
public sealed record EtcdMemberRecord(int Pid, string ClientUrl)
{
    public static string PathIn(string dataDir) => Path.Combine(dataDir, "etcd-member.json");

    public static EtcdMemberRecord? Read(string dataDir)
    {
        try
        {
            return JsonSerializer.Deserialize<EtcdMemberRecord>(File.ReadAllText(PathIn(dataDir)), StateJson.Options);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    public void Write(string dataDir)
    {
        var path = PathIn(dataDir);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, StateJson.Options));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
