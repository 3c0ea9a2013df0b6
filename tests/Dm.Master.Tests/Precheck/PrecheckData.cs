using Dm.TestKit;

namespace Dm.Master.Tests.Precheck;

/// <summary>Schemas, tables and accounts the precheck tests use, created once on the shared servers.</summary>
internal static class PrecheckData
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static UpstreamServers? _preparedFor;

    public const string Password = "pc-pass";
    public const string OddSchema = "pc-o`dd";
    public const int ManySchemas = 12;

    public static async Task EnsureAsync(UpstreamServers servers)
    {
        await Gate.WaitAsync();
        try
        {
            if (ReferenceEquals(_preparedFor, servers)) return;
            await UpstreamServers.ExecAsync(servers.Source,
                "CREATE DATABASE pc_ok",
                "CREATE TABLE pc_ok.t1 (id INT PRIMARY KEY, v VARCHAR(20))",
                "CREATE TABLE pc_ok.t2 (id INT, v VARCHAR(20), UNIQUE KEY uk (id))",
                "CREATE DATABASE pc_nokey",
                "CREATE TABLE pc_nokey.t (a INT, b TEXT)",
                "CREATE TABLE pc_nokey.k (a INT PRIMARY KEY)",
                "CREATE DATABASE `pc-o``dd`",
                "CREATE TABLE `pc-o``dd`.`t 1` (a INT)",
                "CREATE DATABASE pc_shard_a",
                "CREATE TABLE pc_shard_a.t1 (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
                "CREATE DATABASE pc_shard_b",
                "CREATE TABLE pc_shard_b.t1 (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
                "CREATE DATABASE pc_shard_c",
                "CREATE TABLE pc_shard_c.t1 (id INT PRIMARY KEY, v INT, extra INT)",
                "CREATE DATABASE pc_shard_d",
                "CREATE TABLE pc_shard_d.t1 (id INT PRIMARY KEY, v BIGINT)",
                // dump_only: SELECT on one database only.
                $"CREATE USER 'pc_dump_only'@'%' IDENTIFIED BY '{Password}'",
                "GRANT SELECT ON pc_ok.* TO 'pc_dump_only'@'%'",
                "GRANT SELECT ON `pc-o``dd`.* TO 'pc_dump_only'@'%'",
                // tbl_only: SELECT on one table, only a column of the other, RELOAD globally.
                $"CREATE USER 'pc_tbl_only'@'%' IDENTIFIED BY '{Password}'",
                "GRANT SELECT ON pc_ok.t1 TO 'pc_tbl_only'@'%'",
                "GRANT SELECT (id) ON pc_ok.t2 TO 'pc_tbl_only'@'%'",
                "GRANT RELOAD ON *.* TO 'pc_tbl_only'@'%'",
                // role_user: everything through a default role.
                "CREATE ROLE pc_role",
                "GRANT SELECT, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO pc_role",
                $"CREATE USER 'pc_role_user'@'%' IDENTIFIED BY '{Password}'",
                "GRANT pc_role TO 'pc_role_user'@'%'",
                "SET DEFAULT ROLE pc_role FOR 'pc_role_user'@'%'",
                // role granted but not default: its privileges are not active on a new connection.
                $"CREATE USER 'pc_idle_role'@'%' IDENTIFIED BY '{Password}'",
                "GRANT pc_role TO 'pc_idle_role'@'%'");
            for (var i = 0; i < ManySchemas; i++)
                await UpstreamServers.ExecAsync(servers.Source, $"CREATE DATABASE pc_many_{i}", $"CREATE TABLE pc_many_{i}.t (id INT PRIMARY KEY)");
            await UpstreamServers.ExecAsync(servers.Statement,
                "CREATE DATABASE pc_ok",
                "CREATE TABLE pc_ok.t1 (id INT PRIMARY KEY)",
                $"CREATE DATABASE {UpstreamServers.IgnoredDb}",
                $"CREATE TABLE {UpstreamServers.IgnoredDb}.t1 (id INT PRIMARY KEY)");
            await UpstreamServers.ExecAsync(servers.Target,
                $"CREATE USER 'pc_tgt_limited'@'%' IDENTIFIED BY '{Password}'",
                "GRANT SELECT, INSERT ON *.* TO 'pc_tgt_limited'@'%'");
            _preparedFor = servers;
        }
        finally
        {
            Gate.Release();
        }
    }
}
