using Dm.Core.Api;
using Dm.Core.Config;

namespace Dm.Core.Tests.Config;

public class SourceConverterTests
{
    [Fact]
    public void Api_source_to_config_uses_dm_defaults()
    {
        var source = ApiJson.Deserialize<CreateSourceRequest>("""
            {"source": {"source_name": "mysql-01", "host": "127.0.0.1", "port": 3306, "user": "root",
                        "password": "123456", "enable_gtid": true, "enable": true,
                        "relay_config": {"enable_relay": true, "relay_binlog_name": "mysql-bin.000002"},
                        "purge": {"expires": 24}}}
            """).Source;
        var cfg = SourceConverter.ToSourceConfig(source);
        Assert.Equal("mysql-01", cfg.SourceId);
        Assert.Equal("123456", cfg.From.Password);
        Assert.True(cfg.EnableGtid);
        Assert.True(cfg.EnableRelay);
        Assert.Equal("mysql-bin.000002", cfg.RelayBinlogName);
        Assert.Equal(24, cfg.Purge.Expires);
        Assert.Equal(3600, cfg.Purge.Interval);
        Assert.Equal(15, cfg.Purge.RemainSpace);
        Assert.True(cfg.Checker.CheckEnable);
        cfg.Validate();
        Assert.Equal(cfg.ToYaml(), SourceConfig.FromYaml(cfg.ToYaml()).ToYaml());
    }

    [Fact]
    public void Config_to_api_hides_password_and_tls_contents()
    {
        var cfg = new SourceConfig
        {
            SourceId = "mysql-01", Flavor = "mariadb", RelayDir = "relay-dir",
            From = new DbConfig { Host = "h", Port = 3306, User = "u", Password = "secret", Security = new SecurityConfig { SslCaBytes = "PEM", CertAllowedCn = ["dm"] } },
        };
        var api = SourceConverter.ToApiSource(cfg);
        Assert.Equal("******", api.Password);
        Assert.Equal("mariadb", api.Flavor);
        Assert.Equal("", api.Security!.SslCaContent);
        Assert.Equal(["dm"], api.Security.CertAllowedCn);
        var json = ApiJson.Serialize(api);
        Assert.DoesNotContain("secret", json);
        Assert.DoesNotContain("PEM", json);
        Assert.Contains("\"relay_dir\": \"relay-dir\"", json);
        Assert.Contains("\"remain_space\": 15", json);
    }
}
