using Dm.Master.Precheck.Privileges;

namespace Dm.Master.Tests.Precheck;

public sealed class GrantParserTests
{
    [Fact]
    public void ParsesGlobalGrantWithPasswordAndOptions()
    {
        var g = GrantParser.Parse("GRANT SELECT, RELOAD, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `dm`@`%` IDENTIFIED BY PASSWORD '*ABC' WITH GRANT OPTION");
        Assert.Equal(GrantLevel.Global, g.Level);
        Assert.Equal(["SELECT", "RELOAD", "REPLICATION SLAVE", "BINLOG MONITOR"], g.Privileges.Select(p => p.Name));
    }

    [Fact]
    public void ParsesDatabaseAndTableLevelWithColumnsAndOddNames()
    {
        var db = GrantParser.Parse("GRANT ALL PRIVILEGES ON `db-name`.* TO 'u'@'localhost'");
        Assert.Equal((GrantLevel.Database, "db-name"), (db.Level, db.Database));
        Assert.True(db.Privileges.Single().IsAll);

        var table = GrantParser.Parse("GRANT SELECT (`a`, `on`), INSERT ON `we``ird`.`t.1` TO `u`@`%`");
        Assert.Equal((GrantLevel.Table, "we`ird", "t.1"), (table.Level, table.Database, table.Table));
        Assert.Equal(["a", "on"], table.Privileges[0].Columns);
        Assert.Empty(table.Privileges[1].Columns);

        var bare = GrantParser.Parse("GRANT SELECT ON TABLE test.t1 TO u@'%'");
        Assert.Equal((GrantLevel.Table, "test", "t1"), (bare.Level, bare.Database, bare.Table));
    }

    [Fact]
    public void RecognisesRolesProxyRoutinesAndRevokes()
    {
        var role = GrantParser.Parse("GRANT `r1`@`%`,`r2`@`%` TO `u`@`%`");
        Assert.Equal([("r1", "%"), ("r2", "%")], role.Roles);
        Assert.Equal([("dm_role", (string?)null)], GrantParser.Parse("GRANT `dm_role` TO `u`@`%`").Roles);
        Assert.Equal(GrantLevel.Other, GrantParser.Parse("GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION").Level);
        Assert.Equal(GrantLevel.Other, GrantParser.Parse("GRANT EXECUTE ON PROCEDURE `db`.`p` TO `u`@`%`").Level);
        var revoke = GrantParser.Parse("REVOKE SELECT ON `mysql`.* FROM `u`@`%`");
        Assert.False(revoke.IsGrant);
        Assert.Equal(GrantLevel.Database, revoke.Level);
    }

    [Theory]
    [InlineData("SET DEFAULT ROLE `r` FOR `u`@`%`")]
    [InlineData("GRANT SELECT ON *.*")]
    [InlineData("GRANT SELECT ON `db TO u")]
    public void RejectsWhatIsNotAGrant(string line) => Assert.Throws<FormatException>(() => GrantParser.Parse(line));

    [Fact]
    public void AccountPrivilegesFollowServerRules()
    {
        var account = new AccountPrivileges(
        [
            "GRANT USAGE ON *.* TO `u`@`%`",
            "GRANT SUPER, REPLICATION SLAVE ON *.* TO `u`@`%`",
            "GRANT SELECT ON `shard\\_0%`.* TO `u`@`%`",
            "GRANT SELECT ON `other`.`t1` TO `u`@`%`",
            "GRANT SELECT (`id`) ON `other`.`t2` TO `u`@`%`",
            "GRANT ALL PRIVILEGES ON `alldb`.* TO `u`@`%`",
        ]);
        Assert.True(account.HasGlobal(Privilege.ReplicationClient)); // SUPER covers it
        Assert.True(account.HasGlobal(Privilege.ReplicationSlave));
        Assert.False(account.HasGlobal(Privilege.Reload));
        Assert.True(account.HasOnTable(Privilege.Select, "shard_01", "x"));
        Assert.False(account.HasOnTable(Privilege.Select, "shardX01", "x")); // escaped underscore is literal
        Assert.True(account.HasOnTable(Privilege.Select, "other", "t1"));
        Assert.False(account.HasOnTable(Privilege.Select, "other", "t2")); // column grant is not enough
        Assert.True(account.HasOnTable(Privilege.LockTables, "alldb", "t"));
        Assert.False(account.HasOnDatabase(Privilege.Reload, "alldb")); // ALL on a db gives no global privilege
    }

    [Fact]
    public void PartialRevokeRemovesAGlobalPrivilegeForOneDatabase()
    {
        var account = new AccountPrivileges(["GRANT SELECT ON *.* TO `u`@`%`", "REVOKE SELECT ON `secret`.* FROM `u`@`%`"]);
        Assert.True(account.HasOnTable(Privilege.Select, "open", "t"));
        Assert.False(account.HasOnTable(Privilege.Select, "secret", "t"));
    }

    [Fact]
    public void RequirementWordsTheGapLikeDm()
    {
        var account = new AccountPrivileges(["GRANT SELECT ON `a`.`t1` TO `u`@`%`"]);
        var need = new PrivilegeRequirement()
            .OnTables(Privilege.Select, [("a", "t1"), ("a", "t3"), ("a", "t2"), ("b-b", "x")])
            .Global(Privilege.Reload, Privilege.ReplicationClient);
        Assert.Equal("lack of SELECT privilege: {`a`.`t2`, `a`.`t3`; `b-b`.`x`}; lack of RELOAD global (*.*) privilege; " +
                     "lack of REPLICATION CLIENT global (*.*) privilege; ", need.Missing(account));
        Assert.Null(new PrivilegeRequirement().Global(Privilege.Reload).Missing(new AccountPrivileges(["GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"])));
    }

    [Fact]
    public void CaseInsensitiveServerMatchesNamesIgnoringCase()
    {
        var grants = new[] { "GRANT SELECT ON `Shop`.`Orders` TO `u`@`%`" };
        Assert.False(new AccountPrivileges(grants, caseSensitiveNames: true).HasOnTable(Privilege.Select, "shop", "orders"));
        Assert.True(new AccountPrivileges(grants, caseSensitiveNames: false).HasOnTable(Privilege.Select, "shop", "orders"));
    }
}
