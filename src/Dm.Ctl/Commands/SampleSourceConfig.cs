namespace Dm.Ctl.Commands;

/// <summary>What <c>operate-source --print-sample-config</c> prints: a minimal source.yaml in DM's format.</summary>
public static class SampleSourceConfig
{
    public const string Text = """
        source-id: "mysql-replica-01"
        enable-gtid: false
        enable-relay: false
        from:
          host: "127.0.0.1"
          user: "root"
          password: ""
          port: 3306
        """;
}
