using Dm.Sql.Tracking;

namespace Dm.Sql.Tests;

/// <summary>The joined structure of shard tables (optimistic shard DDL): what widens it, what narrows it, what conflicts.</summary>
public sealed class JoinedSchemaTests
{
    private const string Shown = "CREATE TABLE `t1` (`id` bigint(20) NOT NULL, `v` int(11) NOT NULL, `note` varchar(50) DEFAULT NULL, `c9` int(11) DEFAULT NULL, " +
                                 "PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";

    private static JoinedSchema S(string sql) => JoinedSchema.FromCreateTable(sql);

    [Fact]
    public void A_structure_written_by_hand_joins_the_same_structure_as_shown_by_the_server() =>
        Assert.Equal(S(Shown).Fingerprint,
            S(Shown).Join(S("CREATE TABLE t1 (id BIGINT PRIMARY KEY, v INT NOT NULL, note VARCHAR(50), c9 INT)")).Fingerprint);

    [Fact]
    public void A_structure_without_collations_matches_the_joined_one_that_has_them()
    {
        var hand = S("CREATE TABLE t1 (id BIGINT PRIMARY KEY, v INT NOT NULL, note VARCHAR(50), c9 INT)");
        var joined = hand.Join(S(Shown));
        Assert.Contains("COLLATE utf8mb4_general_ci", joined.Fingerprint);
        Assert.True(hand.Matches(joined));
        Assert.False(S("CREATE TABLE t1 (id BIGINT PRIMARY KEY, v INT NOT NULL, note VARCHAR(50))").Matches(joined));
    }

    [Fact]
    public void An_added_nullable_column_widens_and_a_column_dropped_by_one_shard_stays()
    {
        var a = S("CREATE TABLE t (id INT PRIMARY KEY, note VARCHAR(10))");
        var b = S("CREATE TABLE t (id INT PRIMARY KEY, note VARCHAR(10), c2 INT DEFAULT 7)");
        var c = S("CREATE TABLE t (id INT PRIMARY KEY)");
        Assert.Equal(b.Fingerprint, a.Join(b).Fingerprint);
        Assert.Equal(a.Fingerprint, a.Join(c).Fingerprint);
        Assert.Equal(c.Fingerprint, c.Join(c).Fingerprint);
    }

    [Fact]
    public void Wider_types_win_and_other_types_conflict()
    {
        Assert.Contains("bigint", S("CREATE TABLE t (v INT NOT NULL)").Join(S("CREATE TABLE t (v BIGINT NOT NULL)")).Fingerprint);
        Assert.Contains("varchar(64)", S("CREATE TABLE t (v VARCHAR(64))").Join(S("CREATE TABLE t (v VARCHAR(20))")).Fingerprint);
        Assert.Contains("decimal(12,4)", S("CREATE TABLE t (v DECIMAL(10,2))").Join(S("CREATE TABLE t (v DECIMAL(12,4))")).Fingerprint);
        Assert.Throws<SchemaJoinConflictException>(() => S("CREATE TABLE t (v DECIMAL(10,2))").Join(S("CREATE TABLE t (v DECIMAL(10,4))")));
        Assert.Throws<SchemaJoinConflictException>(() => S("CREATE TABLE t (c9 INT)").Join(S("CREATE TABLE t (c9 VARCHAR(20))")));
        Assert.Throws<SchemaJoinConflictException>(() => S("CREATE TABLE t (c INT UNSIGNED)").Join(S("CREATE TABLE t (c BIGINT)")));
    }

    [Fact]
    public void A_column_some_shards_lack_needs_a_default_and_indexes_unite_by_name()
    {
        Assert.Throws<SchemaJoinConflictException>(() => S("CREATE TABLE t (id INT)").Join(S("CREATE TABLE t (id INT, c INT NOT NULL)")));
        Assert.Contains("k_v", S("CREATE TABLE t (v INT, KEY k_v (v))").Join(S("CREATE TABLE t (v INT)")).Fingerprint);
        Assert.Throws<SchemaJoinConflictException>(() => S("CREATE TABLE t (v INT, w INT, KEY k (v))").Join(S("CREATE TABLE t (v INT, w INT, KEY k (w))")));
    }
}
