using Dm.TestKit;

namespace Dm.IntegrationTests.Sync;

/// <summary>
/// A task.yaml written as DM's docs show, with expression filters, a route filling extend columns and a syncer with
/// <c>compact: true</c> and <c>multiple-rows: true</c>, is accepted by dmctl start-task and gives the rows DM would give:
/// the full copy merges both shards with their extracted names (DM's expression filters act in Sync only), then Sync drops
/// exactly the row changes the expressions hold for and compacts an unrouted table's changes to the same end state.
/// <c>config task</c> and <c>get-config</c> give the file back, every key as given (the password hidden).
/// </summary>
public sealed class TaskFileFidelityTests
{
    [Fact]
    public async Task A_task_file_with_expression_filters_and_extend_columns_starts_through_dmctl_and_gives_dms_rows()
    {
        await using var env = await SyncTestEnvironment.StartAsync("fidelity-master", 141);
        await env.StartWorkerAsync("fidelity-worker");
        await env.Upstream.ExecuteAsync("""
            CREATE DATABASE store_1; CREATE TABLE store_1.orders (id INT PRIMARY KEY, amount INT NOT NULL, status VARCHAR(12) NOT NULL);
            CREATE DATABASE store_2; CREATE TABLE store_2.orders (id INT PRIMARY KEY, amount INT NOT NULL, status VARCHAR(12) NOT NULL);
            INSERT INTO store_1.orders VALUES (1, 10, 'new'), (2, 20, 'cancelled');
            INSERT INTO store_2.orders VALUES (1, 30, 'new');
            CREATE TABLE store_1.audit (id INT PRIMARY KEY, note VARCHAR(20) NOT NULL);
            INSERT INTO store_1.audit VALUES (1, 'copied');
            """);
        // As DM requires, the merged table is created by hand with the extend columns.
        await env.Target.ExecuteAsync("""
            CREATE DATABASE store;
            CREATE TABLE store.orders (id INT NOT NULL, amount INT NOT NULL, status VARCHAR(12) NOT NULL,
              c_schema VARCHAR(20) NOT NULL, c_source VARCHAR(40) NOT NULL, PRIMARY KEY (id, c_schema));
            """);
        var file = Path.Combine(Path.GetTempPath(), $"dm-fidelity-{Guid.NewGuid():N}.yaml");
        var yaml = $"""
            # DM's advanced task file layout
            name: "fidelity"
            task-mode: all

            target-database:
              host: "{env.Target.Host}"
              port: {env.Target.Port}
              user: "{env.Target.User}"
              password: "{env.Target.Password}"

            mysql-instances:
              - source-id: "{SyncTestEnvironment.SourceName}"
                block-allow-list: "stores"
                route-rules: ["merge-orders"]
                expression-filters: ["no_cancelled", "keep_new_orders_new"]
                syncer-config-name: "global"
                loader-config-name: "global"
                mydumper-config-name: "global"

            block-allow-list:
              stores:
                do-dbs: ["store_*"]

            routes:
              merge-orders:
                schema-pattern: "store_*"
                table-pattern: "orders"
                target-schema: "store"
                target-table: "orders"
                extract-schema:
                  schema-regexp: "store_(.*)"
                  target-column: "c_schema"
                extract-source:
                  source-regexp: "(.*)"
                  target-column: "c_source"

            expression-filter:
              no_cancelled:
                schema: "store_1"
                table: "orders"
                insert-value-expr: "status = 'cancelled'"
              keep_new_orders_new:
                schema: "store_2"
                table: "orders"
                update-old-value-expr: "status = 'new'"
                update-new-value-expr: "status = 'shipped' AND amount < 100"

            mydumpers:
              global:
                threads: 2
                chunk-filesize: 64
                skip-tz-utc: true
                extra-args: "--consistency auto"

            loaders:
              global:
                pool-size: 4
                dir: "./dumped_data"
                import-mode: "logical"
                on-duplicate-logical: "replace"

            syncers:
              global:
                worker-count: 4
                batch: 50
                queue-size: 512
                checkpoint-flush-interval: 5
                enable-ansi-quotes: true
                safe-mode: false
                safe-mode-duration: "10s"
                compact: true
                multiple-rows: true
            """;
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            (await DmctlRun.RunAsync(env.Env.Master, "start-task", file)).Ok();
            // Every key as given, comments and layout included; only the password is hidden, as everywhere the API answers.
            var given = yaml.Replace($"password: \"{env.Target.Password}\"", "password: \"******\"");
            Assert.Equal(given, (await DmctlRun.RunAsync(env.Env.Master, "config", "task", "fidelity")).Ok()["cfg"]!.GetValue<string>());
            Assert.Equal(given, (await DmctlRun.RunAsync(env.Env.Master, "get-config", "task", "fidelity")).Ok()["cfg"]!.GetValue<string>());
        }
        finally
        {
            File.Delete(file);
        }
        await env.WaitForSyncRunningAsync("fidelity", TimeSpan.FromMinutes(2));
        await env.Upstream.ExecuteAsync("""
            INSERT INTO store_1.orders VALUES (3, 5, 'cancelled'), (4, 40, 'new');
            INSERT INTO store_2.orders VALUES (5, 50, 'cancelled');
            UPDATE store_2.orders SET status = 'shipped' WHERE id = 1;
            UPDATE store_2.orders SET status = 'shipped', amount = 500 WHERE id = 5;
            INSERT INTO store_2.orders VALUES (6, 60, 'new');
            BEGIN;
            INSERT INTO store_1.audit VALUES (2, 'a'), (3, 'b'), (4, 'c');
            UPDATE store_1.audit SET note = 'changed' WHERE id IN (1, 2);
            DELETE FROM store_1.audit WHERE id = 3;
            COMMIT;
            """);
        const string Expected =
            "1:10:new:1:wl-src,2:20:cancelled:1:wl-src,4:40:new:1:wl-src,1:30:new:2:wl-src,5:500:shipped:2:wl-src,6:60:new:2:wl-src";
        string? rows = null;
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            await env.AssertNotPausedAsync("fidelity");
            rows = Convert.ToString(await env.Target.ScalarAsync(
                "SELECT GROUP_CONCAT(CONCAT_WS(':', id, amount, status, c_schema, c_source) ORDER BY c_schema, id) FROM store.orders"));
            return rows == Expected;
        }, $"the target's rows to be {Expected} (last: {rows})", TimeSpan.FromMinutes(1));
        // The unrouted table's compacted, multi-row changes end where the upstream's did.
        await MigrationEnvironment.WaitForAsync(async () =>
            Convert.ToString(await env.Target.ScalarAsync("SELECT GROUP_CONCAT(CONCAT(id, ':', note) ORDER BY id) FROM store_1.audit")) ==
            Convert.ToString(await env.Upstream.ScalarAsync("SELECT GROUP_CONCAT(CONCAT(id, ':', note) ORDER BY id) FROM store_1.audit")),
            "store_1.audit to match the upstream", TimeSpan.FromMinutes(1));
        Assert.Equal("1:changed,2:changed,4:c", Convert.ToString(await env.Target.ScalarAsync("SELECT GROUP_CONCAT(CONCAT(id, ':', note) ORDER BY id) FROM store_1.audit")));
    }

    [Fact]
    public async Task The_task_file_field_is_in_the_api_spec()
    {
        await using var master = await DmMasterProcess.StartAsync("fidelity-spec-master");
        var spec = System.Text.Json.Nodes.JsonNode.Parse(await master.Http.GetStringAsync("/api/v1/dm.json"))!;
        Assert.NotNull(spec["components"]!["schemas"]!["Task"]!["properties"]!["task_config_file"]);
    }
}
