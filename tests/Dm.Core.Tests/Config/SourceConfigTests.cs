using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Tests.Config.Samples;

namespace Dm.Core.Tests.Config;

public class SourceConfigTests
{
    [Fact]
    public void Sample_decodes_with_dm_defaults()
    {
        var c = SourceConfig.FromYaml(SampleFiles.Read("source.yaml"));
        c.Validate();
        Assert.Equal("mysql-replica-01", c.SourceId);
        Assert.True(c.Enable);
        Assert.False(c.EnableGtid);
        Assert.Equal("127.0.0.1", c.From.Host);
        Assert.Equal(3306, c.From.Port);
        Assert.Equal("123456", c.From.Password);
        Assert.Equal(3600, c.Purge.Interval);
        Assert.Equal(15, c.Purge.RemainSpace);
        Assert.Equal(TimeSpan.FromMinutes(5), c.Checker.BackoffMax);
        Assert.Equal(TimeSpan.FromSeconds(1), c.Checker.BackoffMin);
        Assert.Equal(2.0, c.Checker.BackoffFactor);
        Assert.Equal(0u, c.ServerId);
        Assert.Single(c.Filters);
        Assert.Equal("Do", c.Filters[0].Action);
    }

    [Fact]
    public void Round_trip_keeps_everything()
    {
        var c = SourceConfig.FromYaml(SampleFiles.Read("source.yaml"));
        c.Flavor = "mariadb";
        c.ServerId = 429496800;
        c.From.Security = new SecurityConfig { SslCa = "/ca.pem", CertAllowedCn = ["dm"] };
        var yaml = c.ToYaml();
        Assert.Contains("backoff-rollback: 5m0s", yaml);
        Assert.Contains("source-id: mysql-replica-01", yaml);
        var again = SourceConfig.FromYaml(yaml);
        Assert.Equal(yaml, again.ToYaml());
        Assert.Equal("mariadb", again.Flavor);
        Assert.Equal(["dm"], again.From.Security!.CertAllowedCn);
    }

    [Fact]
    public void Strict_decoding_names_unknown_keys()
    {
        var ex = Assert.Throws<DmException>(() => SourceConfig.FromYaml("source-id: a\nfrom:\n  host: h\n  hots: x\n"));
        Assert.Equal(20003, ex.Code);
        Assert.Contains("field hots not found in from", ex.Message);
        Assert.Contains("line 4", ex.Message);
    }

    [Fact]
    public void Deprecated_keys_are_accepted()
    {
        var c = SourceConfig.FromYaml("source-id: a\nauto-fix-gtid: true\nmeta-dir: x\ncharset: utf8\ntracer:\n  enable: false\n");
        Assert.False(c.AutoFixGtid);
    }

    [Theory]
    [InlineData("source-id: \"\"\n", 40005)]
    [InlineData("source-id: a-source-id-that-is-longer-than-32-chars\n", 40006)]
    [InlineData("source-id: a\nrelay-binlog-name: nodot\n", 40007)]
    [InlineData("source-id: a\nflavor: oracle\n", 11010)]
    [InlineData("source-id: a\nflavor: mysql\nrelay-binlog-gtid: 0-1-100\n", 11009)]
    [InlineData("source-id: a\nflavor: mariadb\nrelay-binlog-gtid: \"e9a1fc22-ec08-11e9-b2ac-0242ac110003:1-7849\"\n", 11009)]
    [InlineData("source-id: a\nchecker:\n  backoff-max: 1ms\n", 20043)]
    [InlineData("source-id: a\nfilters:\n  - schema-pattern: a\n    events: [\"explode\"]\n    action: Ignore\n", 20037)]
    [InlineData("source-id: a\nfilters:\n  - schema-pattern: a\n    events: [\"all\"]\n    action: Maybe\n", 20037)]
    public void Validate_uses_dm_codes(string yaml, int code)
    {
        var c = SourceConfig.FromYaml(yaml);
        Assert.Equal(code, Assert.Throws<DmException>(c.Validate).Code);
    }

    [Theory]
    [InlineData("mysql", "e9a1fc22-ec08-11e9-b2ac-0242ac110003:1-7849", true)]
    [InlineData("mysql", "e9a1fc22-ec08-11e9-b2ac-0242ac110003:1-5:7-9,e9a1fc22-ec08-11e9-b2ac-0242ac110004:3", true)]
    [InlineData("mariadb", "0-1-100,1-2-3", true)]
    [InlineData("", "0-1-100", true)]
    [InlineData("", "", true)]
    [InlineData("mysql", "e9a1fc22:1-2", false)]
    [InlineData("", "garbage", false)]
    public void Gtid_set_syntax(string flavor, string set, bool valid) => Assert.Equal(valid, GtidSetSyntax.IsValid(flavor, set));

    [Fact]
    public void Go_durations_parse_and_format()
    {
        Assert.Equal(TimeSpan.FromMinutes(90), GoDuration.Parse("1h30m"));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), GoDuration.Parse("1.5s"));
        Assert.Equal("1h30m0s", GoDuration.Format(TimeSpan.FromMinutes(90)));
        Assert.Equal("5m0s", GoDuration.Format(TimeSpan.FromMinutes(5)));
        Assert.Equal("30s", GoDuration.Format(TimeSpan.FromSeconds(30)));
        Assert.Equal("300ms", GoDuration.Format(TimeSpan.FromMilliseconds(300)));
        Assert.Equal("0s", GoDuration.Format(TimeSpan.Zero));
        Assert.False(GoDuration.TryParse("5 minutes", out _));
    }
}
