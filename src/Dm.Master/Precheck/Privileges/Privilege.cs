namespace Dm.Master.Precheck.Privileges;

/// <summary>The privileges the precheck asks for, in DM's reporting order.</summary>
public enum Privilege
{
    Create,
    Select,
    Insert,
    Update,
    Delete,
    Super,
    Drop,
    Alter,
    Index,
    LockTables,
    Reload,
    ReplicationClient,
    ReplicationSlave,
}

public static class PrivilegeNames
{
    /// <summary>The name as SHOW GRANTS prints it and as DM's messages use it.</summary>
    public static string Sql(this Privilege privilege) => privilege switch
    {
        Privilege.LockTables => "LOCK TABLES",
        Privilege.ReplicationClient => "REPLICATION CLIENT",
        Privilege.ReplicationSlave => "REPLICATION SLAVE",
        _ => privilege.ToString().ToUpperInvariant(),
    };

    /// <summary>Maps a privilege named in a GRANT line to ours; null for the many we never ask for.</summary>
    public static Privilege? Parse(string words) => words.ToUpperInvariant() switch
    {
        "CREATE" => Privilege.Create,
        "SELECT" => Privilege.Select,
        "INSERT" => Privilege.Insert,
        "UPDATE" => Privilege.Update,
        "DELETE" => Privilege.Delete,
        "SUPER" => Privilege.Super,
        "DROP" => Privilege.Drop,
        "ALTER" => Privilege.Alter,
        "INDEX" => Privilege.Index,
        "LOCK TABLES" => Privilege.LockTables,
        "RELOAD" => Privilege.Reload,
        // MySQL 8 dynamic privilege enough for FLUSH TABLES WITH READ LOCK.
        "FLUSH_TABLES" => Privilege.Reload,
        "REPLICATION CLIENT" => Privilege.ReplicationClient,
        // MariaDB 10.5.2 renamed REPLICATION CLIENT; SHOW GRANTS prints the new name.
        "BINLOG MONITOR" => Privilege.ReplicationClient,
        "REPLICATION SLAVE" => Privilege.ReplicationSlave,
        _ => null,
    };

    /// <summary>Privileges that only count when granted ON *.* (DM's "global (*.*)").</summary>
    public static bool GlobalOnly(this Privilege privilege) =>
        privilege is Privilege.Reload or Privilege.ReplicationClient or Privilege.ReplicationSlave or Privilege.Super;
}
