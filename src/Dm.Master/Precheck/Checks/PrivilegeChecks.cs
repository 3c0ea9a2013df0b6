using Dm.Core.Config;
using Dm.Master.Precheck.Privileges;

namespace Dm.Master.Precheck.Checks;

/// <summary>dump_privilege, replication_privilege and target_privilege: SHOW GRANTS against what each job needs.</summary>
internal static class PrivilegeChecks
{
    public static CheckResult Dump(SourceSnapshot s, string consistency)
    {
        var r = new CheckResult { Item = CheckingItems.DumpPrivilege, Name = "source db dump privilege checker", Desc = "check dump privileges of source DB", Extra = s.Extra };
        var need = new PrivilegeRequirement().OnTables(Privilege.Select, s.Tables.Select(t => (t.Source.Schema, t.Source.Table)));
        switch (consistency)
        {
            case "auto" or "flush":
                need.Global(Privilege.Reload); // FLUSH TABLES WITH READ LOCK
                break;
            case "lock":
                need.OnTables(Privilege.LockTables, s.Tables.Select(t => (t.Source.Schema, t.Source.Table)));
                break;
        }
        return Verify(r, s.Grants, s.GrantsError, need, s.Info.CaseSensitive, CheckState.Fail, "Please grant the required privileges to the account.");
    }

    public static CheckResult Replication(SourceSnapshot s)
    {
        var r = new CheckResult { Item = CheckingItems.ReplicationPrivilege, Name = "source db replication privilege checker", Desc = "check replication privileges of source DB", Extra = s.Extra };
        var need = new PrivilegeRequirement().Global(Privilege.ReplicationSlave, Privilege.ReplicationClient);
        return Verify(r, s.Grants, s.GrantsError, need, s.Info.CaseSensitive, CheckState.Fail, "Grant the required privileges to the account.");
    }

    /// <summary>A warning only, as in DM: which tables the task will write is not known precisely.</summary>
    public static CheckResult Target(TargetSnapshot t)
    {
        var r = new CheckResult { Item = CheckingItems.TargetPrivilege, Name = "target db privilege checker", Desc = "check privileges of target DB", Extra = t.Extra };
        var need = new PrivilegeRequirement().Global(Privilege.Create, Privilege.Select, Privilege.Insert, Privilege.Update,
            Privilege.Delete, Privilege.Alter, Privilege.Drop, Privilege.Index);
        return Verify(r, t.Grants, t.GrantsError, need, t.CaseSensitive, CheckState.Warn, "You need grant related privileges.");
    }

    private static CheckResult Verify(CheckResult r, IReadOnlyList<string>? grants, string? grantsError, PrivilegeRequirement need,
        bool caseSensitive, CheckState severity, string instruction)
    {
        if (grants is null) return r.Add(CheckError.Failure(grantsError ?? "cannot read SHOW GRANTS"));
        if (grants.Count == 0) return r.Add(new CheckError { Severity = severity, ShortError = "there is no such grant defined for current user on host '%'" });
        string? missing;
        try
        {
            missing = need.Missing(new AccountPrivileges(grants, caseSensitive));
        }
        catch (FormatException e)
        {
            return r.Add(CheckError.Failure(e.Message));
        }
        if (missing != null)
        {
            r.Add(new CheckError { Severity = severity, ShortError = missing });
            r.Instruction = instruction;
        }
        return r;
    }
}
