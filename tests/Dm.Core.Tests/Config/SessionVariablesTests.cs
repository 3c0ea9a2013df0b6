using Dm.Core.Config;
using Dm.Core.Errors;

namespace Dm.Core.Tests.Config;

/// <summary>DbConfig's <c>session</c> map: accepted names and values, what reaches the endpoint, what dmctl cannot carry.</summary>
public class SessionVariablesTests
{
    private static TaskConfig Task(string session) => TaskConfig.FromYaml($"""
        name: t
        task-mode: all
        target-database:
          host: 127.0.0.1
          port: 3306
          user: root
          password: ""
          session:
        {session}
        mysql-instances:
          - source-id: s1
        """);

    [Fact]
    public void Target_session_is_kept_in_order_and_reaches_the_endpoint()
    {
        var cfg = Task("    sql_mode: 'ANSI_QUOTES'\n    foreign_key_checks: 0\n    div_precision_increment: 7");
        var endpoint = DbConfigEndpoint.From(cfg.TargetDatabase!);
        Assert.Equal(["sql_mode", "foreign_key_checks", "div_precision_increment"], endpoint.SessionVariables.Select(kv => kv.Key));
        Assert.Equal("ANSI_QUOTES", endpoint.SessionVariables[0].Value);
        Assert.Equal(endpoint, DbConfigEndpoint.From(cfg.TargetDatabase!));
        Assert.NotEqual(endpoint, endpoint with { SessionVariables = [] });
    }

    [Theory]
    [InlineData("    \"sql_mode = '' ; DROP DATABASE x; --\": 1", "not a plain identifier")]
    [InlineData("    \"`x`\": 1", "not a plain identifier")]
    [InlineData("    \"1abc\": 1", "not a plain identifier")]
    [InlineData("    \"a.b\": 1", "not a plain identifier")]
    [InlineData("    time_zone: '+05:00'", "UTC")]
    [InlineData("    time_zone: 'Asia/Shanghai'", "UTC")]
    [InlineData("    TIME_ZONE: SYSTEM", "UTC")]
    public void A_bad_name_or_a_time_zone_other_than_utc_is_refused_naming_it(string session, string problem)
    {
        var e = Assert.Throws<DmException>(() => Task(session));
        Assert.Equal(20003, e.Code);
        Assert.Contains("session", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Theory]
    [InlineData("+00:00")]
    [InlineData("UTC")]
    [InlineData("+0:00")]
    public void A_utc_time_zone_is_accepted(string zone) =>
        Assert.Equal(zone, Task($"    time_zone: '{zone}'").TargetDatabase!.Session!["time_zone"]);

    [Fact]
    public void Values_go_as_numbers_when_they_are_numbers_else_as_strings()
    {
        Assert.Equal(7L, SessionVariables.ParameterValue("7"));
        Assert.Equal(-1L, SessionVariables.ParameterValue("-1"));
        Assert.Equal(1.5m, SessionVariables.ParameterValue("1.5"));
        Assert.Equal("ON", SessionVariables.ParameterValue("ON"));
        Assert.Equal("STRICT_ALL_TABLES,ANSI_QUOTES", SessionVariables.ParameterValue("STRICT_ALL_TABLES,ANSI_QUOTES"));
        Assert.Equal("1e3", SessionVariables.ParameterValue("1e3"));
        Assert.Equal("x'; DROP TABLE t; --", SessionVariables.ParameterValue("x'; DROP TABLE t; --"));
    }

    [Fact]
    public void Max_allowed_packet_decodes_and_warns_as_deprecated()
    {
        var cfg = TaskConfig.FromYaml("""
            name: t
            task-mode: all
            target-database:
              host: 127.0.0.1
              port: 3306
              user: root
              max-allowed-packet: 67108864
            mysql-instances:
              - source-id: s1
            """);
        Assert.Equal(67108864, cfg.TargetDatabase!.MaxAllowedPacket);
        Assert.Contains("target-database.max-allowed-packet is deprecated and ignored", cfg.TargetDatabase.MaxAllowedPacketWarning("target-database"));
        Assert.Null(new DbConfig().MaxAllowedPacketWarning("from"));
    }

    [Fact]
    public void A_source_session_is_refused_by_the_source_path_naming_the_key()
    {
        var cfg = SourceConfig.FromYaml("""
            source-id: s1
            from:
              host: 127.0.0.1
              port: 3306
              user: root
              session:
                sql_mode: ''
            """);
        var e = Assert.Throws<DmException>(() => SourceConverter.RefuseUncarried(cfg, "source.yaml"));
        Assert.Equal(20003, e.Code);
        Assert.Contains("from.session (sql_mode)", e.Message);
        SourceConverter.RefuseUncarried(SourceConfig.FromYaml("source-id: s1\nfrom:\n  host: h\n  port: 1\n  user: u\n"), "s.yaml");
    }
}
