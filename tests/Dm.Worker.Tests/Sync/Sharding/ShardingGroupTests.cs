using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Worker.Sync.Sharding;

namespace Dm.Worker.Tests.Sync.Sharding;

/// <summary>
/// DM's pessimistic sharding group on one source: members reach the active DDL one by one, the group is complete when all
/// did; another DDL is DM's 36008; a dropped member leaves it whether it had reached the DDL or not.
/// </summary>
public sealed class ShardingGroupTests
{
    private static readonly (string, string) T1 = ("db", "t1"), T2 = ("db", "t2"), T3 = ("db", "t3");
    private static readonly string[] Add = ["ALTER TABLE `db_t`.`merged` ADD COLUMN `c` INT"];

    private static BinlogLocation At(long position) => new("mysql-bin.000001", position);

    [Fact]
    public void The_group_is_complete_when_every_member_reached_the_DDL_and_a_new_member_must_reach_it_too()
    {
        var group = new ShardingGroup(("db_t", "merged"));
        group.Arrive(T1, Add, At(100));
        Assert.False(group.IsComplete([T1, T2]));
        Assert.Equal([T2], group.Unsynced([T1, T2]));
        group.Arrive(T2, Add, At(200));
        Assert.True(group.IsComplete([T1, T2]));
        Assert.False(group.IsComplete([T1, T2, T3])); // a table created meanwhile joins unsynced
        Assert.Equal(At(100).Position, group.FirstLocation!.Position);
    }

    [Fact]
    public void A_dropped_member_leaves_the_group_reached_or_not()
    {
        var group = new ShardingGroup(("db_t", "merged"));
        group.Arrive(T1, Add, At(100));
        group.Leave(T1);
        Assert.Empty(group.Synced);
        Assert.Equal(Add, group.ActiveDdls); // the others still meet the DDL
        group.Arrive(T2, Add, At(200));
        Assert.True(group.IsComplete([T2]));
    }

    [Fact]
    public void Another_DDL_from_a_member_is_DMs_36008()
    {
        var group = new ShardingGroup(("db_t", "merged"));
        group.Arrive(T1, Add, At(100));
        var error = Assert.Throws<DmException>(() => group.Arrive(T2, ["ALTER TABLE `db_t`.`merged` ADD COLUMN `d` INT"], At(200)));
        Assert.Equal(DmErrors.ErrSyncUnitDDLWrongSequence.Code, error.Code);
    }
}
