using Dm.Core.Config;
using Dm.Core.Errors;

namespace Dm.Core.Tests.Config;

/// <summary>DM users share settings with anchors, aliases and "&lt;&lt;" merge keys (yaml.v2 supports all three).</summary>
public class YamlAnchorTests
{
    private const string WithAnchors = """
        name: t
        task-mode: all
        target-database:
          host: 127.0.0.1
          port: 4000
          user: root
        syncers:
          global: &sync
            worker-count: 32
            batch: 50
        mysql-instances:
          - source-id: a
            syncer-config-name: global
          - source-id: b
            syncer:
              <<: *sync
              batch: 200
          - source-id: c
            syncer: *sync
        """;

    [Fact]
    public void Aliases_and_merge_keys_work_like_yaml_v2()
    {
        var c = TaskConfig.FromYaml(WithAnchors);
        c.Validate();
        Assert.Equal(32, c.MysqlInstances[1].Syncer!.WorkerCount);
        Assert.Equal(200, c.MysqlInstances[1].Syncer!.Batch);
        Assert.Equal(32, c.MysqlInstances[2].Syncer!.WorkerCount);
        Assert.Equal(50, c.MysqlInstances[2].Syncer!.Batch);
    }

    [Fact]
    public void Merge_of_a_list_of_mappings_and_unknown_merged_keys()
    {
        var yaml = """
            base1: &b1
              host: h1
              port: 1
            base2: &b2
              host: h2
              user: u2
            """;
        // base1/base2 are not task keys: strict decoding rejects them even though they only hold anchors.
        Assert.Throws<DmException>(() => TaskConfig.FromYaml(yaml + "\nname: t\n"));

        var merged = TaskConfig.FromYaml("""
            target-database:
              <<: [{host: h1, port: 1}, {host: h2, user: u2}]
              port: 9
            """);
        Assert.Equal("h1", merged.TargetDatabase!.Host);
        Assert.Equal("u2", merged.TargetDatabase.User);
        Assert.Equal(9, merged.TargetDatabase.Port);

        var ex = Assert.Throws<DmException>(() => TaskConfig.FromYaml("target-database:\n  <<: {hots: x}\n"));
        Assert.Contains("hots", ex.Message);
    }
}
