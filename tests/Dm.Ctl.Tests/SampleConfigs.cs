using Dm.TestKit;

namespace Dm.Ctl.Tests;

/// <summary>source.yaml and task.yaml written the way DM's docs and users write them (comments, quotes, named rules).</summary>
public static class SampleConfigs
{
    public static string Source(string id, MariaDbServer server) => $"""
        # MySQL Configuration.
        source-id: "{id}"

        # Whether to enable GTID.
        enable-gtid: false
        enable-relay: false
        relay-binlog-name: ""
        relay-binlog-gtid: ""
        flavor: "mariadb"

        from:
          host: "{server.Host}"
          user: "{server.User}"
          password: "{server.Password}"
          port: {server.Port}

        purge:
          interval: 3600
          expires: 0
          remain-space: 15

        checker:
          check-enable: true
          backoff-rollback: 5m0s
          backoff-max: 5m0s
        """;

    /// <summary>
    /// Two sources, several schemas: shop.* merged into shop_all, logs.events_* merged into logs.events,
    /// scratch left out by the block-allow list, DROP/TRUNCATE ignored everywhere by the event filter.
    /// </summary>
    public static string Task(string name, MariaDbServer target, string mode, params string[] sources) =>
        Task(name, (target.Host, target.Port, target.User, target.Password), mode, sources);

    public static string Task(string name, (string Host, int Port, string User, string Password) target, string mode, params string[] sources)
    {
        var instances = string.Concat(sources.Select(s => $"""

              - source-id: "{s}"
                block-allow-list: "bw-rule-1"
                route-rules: ["shop-route", "logs-route"]
                filter-rules: ["no-drop"]
                mydumper-config-name: "global"
                loader-config-name: "global"
                syncer-config-name: "global"
            """));
        return $"""
            # ----------- Global configuration -----------
            name: "{name}"
            task-mode: "{mode}"
            meta-schema: "dm_meta"
            timezone: ""
            online-ddl: true

            target-database:
              host: "{target.Host}"
              port: {target.Port}
              user: "{target.User}"
              password: "{target.Password}"

            # ----------- Instance configuration -----------
            mysql-instances:{instances}

            # ----------- Feature configuration -----------
            block-allow-list:
              bw-rule-1:
                do-dbs: ["shop", "logs"]

            routes:
              shop-route:
                schema-pattern: "shop"
                table-pattern: "*"
                target-schema: "shop_all"
              logs-route:
                schema-pattern: "logs"
                table-pattern: "events_*"
                target-schema: "logs"
                target-table: "events"

            filters:
              no-drop:
                schema-pattern: "*"
                events: ["drop table", "truncate table"]
                action: Ignore

            mydumpers:
              global:
                threads: 4
                chunk-filesize: 64
                extra-args: ""

            loaders:
              global:
                pool-size: 16
                dir: "./dumped_data"

            syncers:
              global:
                worker-count: 16
                batch: 100
            """;
    }
}
