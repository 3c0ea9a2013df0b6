namespace Dm.Master.Precheck.Privileges;

/// <summary>Where a GRANT applies.</summary>
public enum GrantLevel
{
    /// <summary>ON *.*</summary>
    Global,
    /// <summary>ON db.* (the db name may hold LIKE wildcards)</summary>
    Database,
    /// <summary>ON db.table</summary>
    Table,
    /// <summary>Routines, PROXY, the current database: nothing the precheck needs.</summary>
    Other,
}

/// <summary>One privilege of a grant; <see cref="Columns"/> is non-empty for column-level grants.</summary>
public sealed record GrantedPrivilege(string Name, IReadOnlyList<string> Columns)
{
    public bool IsAll => Name is "ALL" or "ALL PRIVILEGES";
}

/// <summary>One line of SHOW GRANTS, parsed.</summary>
public sealed record GrantStatement
{
    /// <summary>False for REVOKE lines (MySQL partial revokes).</summary>
    public bool IsGrant { get; init; } = true;
    public GrantLevel Level { get; init; }
    public string Database { get; init; } = "";
    public string Table { get; init; } = "";
    public IReadOnlyList<GrantedPrivilege> Privileges { get; init; } = [];
    /// <summary>For <c>GRANT role TO user</c>: the roles granted, each as (name, host or null).</summary>
    public IReadOnlyList<(string Name, string? Host)> Roles { get; init; } = [];
    public bool IsRoleGrant => Roles.Count > 0;
}
