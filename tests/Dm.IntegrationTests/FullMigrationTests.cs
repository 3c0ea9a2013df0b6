using Dm.TestKit;
using Dm.TestKit.DataComparison;

namespace Dm.IntegrationTests;

/// <summary>
/// A `full` task through the OpenAPI with real master, worker and MariaDB processes (a 1-million-row table,
/// a table without a key, an empty table, names needing quoting, routing and a block-allow list): the copy completes,
/// and survives a kill -9 of its worker in the middle (another worker takes the source over and resumes).
/// Every table is compared with its source at the end: rows of every column and SHOW CREATE TABLE.
/// </summary>
public sealed class FullMigrationTests : IAsyncLifetime
{
    private MigrationEnvironment _env = null!;
    private MariaDbServer _upstream = null!;
    private MariaDbServer _target = null!;
    private DmMasterProcess _master = null!;

    private static readonly ((string, string) From, (string, string) To)[] Tables =
    [
        (("shop", "orders"), ("shop_copy", "orders")),
        (("shop", "customers"), ("shop_copy", "customers")),
        (("shop", "empty_one"), ("shop_copy", "empty_one")),
        (("we-ird", "ta ble"), ("we-ird", "ta ble")),
    ];

    public async Task InitializeAsync()
    {
        _env = await MigrationEnvironment.StartAsync("full-master", 41, rows: 0);
        (_upstream, _target, _master) = (_env.Upstream, _env.Target, _env.Master);
        await _upstream.ExecuteAsync("""
            CREATE DATABASE shop;
            CREATE TABLE shop.orders (id BIGINT PRIMARY KEY, customer INT NOT NULL, amount DECIMAL(12,2), note VARCHAR(200),
              created DATETIME(6), payload BLOB, flags BIT(5), doc JSON);
            CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(64) CHARACTER SET utf8mb4, born DATE, zero_date DATE);
            CREATE TABLE shop.empty_one (id INT PRIMARY KEY);
            CREATE TABLE shop.ignored (id INT PRIMARY KEY);
            INSERT INTO shop.ignored VALUES (1);
            CREATE DATABASE `we-ird`;
            CREATE TABLE `we-ird`.`ta ble` (a INT, b TEXT);
            INSERT INTO `we-ird`.`ta ble` VALUES (1, 'x'), (1, 'x'), (NULL, NULL), (2, '😀 emoji');
            INSERT INTO shop.customers VALUES (1, 'Zoë', '1980-02-29', '0000-00-00'), (2, '名前', NULL, NULL);
            INSERT INTO shop.orders (id, customer, amount, note, created, payload, flags, doc)
              SELECT seq, seq % 1000, seq / 7, CONCAT('order ', seq), TIMESTAMP('2024-01-01 00:00:00.123456') + INTERVAL seq SECOND,
                     IF(seq % 10 = 0, REPEAT(UNHEX('00FF'), 100), NULL), seq % 32, JSON_OBJECT('n', seq)
              FROM shop.seq_1_to_1000000;
            """);
    }

    public async Task DisposeAsync() => await _env.DisposeAsync();

    private object TaskBody(string name) => new
    {
        task = new
        {
            name,
            task_mode = "full",
            meta_schema = "dm_meta",
            enhance_online_schema_change = true,
            on_duplicate = "replace",
            target_config = new { host = _target.Host, port = _target.Port, user = _target.User, password = _target.Password },
            table_migrate_rule = new object[]
            {
                new { source = new { source_name = "mysql-01", schema = "shop", table = "orders" }, target = new { schema = "shop_copy", table = "orders" } },
                new { source = new { source_name = "mysql-01", schema = "shop", table = "customers" }, target = new { schema = "shop_copy", table = "customers" } },
                new { source = new { source_name = "mysql-01", schema = "shop", table = "empty_one" }, target = new { schema = "shop_copy", table = "empty_one" } },
                new { source = new { source_name = "mysql-01", schema = "we-ird", table = "*" } },
            },
            source_config = new
            {
                full_migrate_conf = new { export_threads = 4, import_threads = 4 },
                source_conf = new[] { new { source_name = "mysql-01" } },
            },
        },
    };

    private async Task CreateSourceAndTaskAsync(string task)
    {
        await _env.CreateSourceAsync("mysql-01", _upstream);
        await _env.CreateTaskAsync(TaskBody(task));
    }

    [Fact]
    public async Task FullTaskCopiesEveryTableExactly()
    {
        await using var worker = await DmWorkerProcess.StartAsync("full-worker-1", [_master]);
        await CreateSourceAndTaskAsync("full-copy");
        await _env.StartTaskAsync("full-copy");

        var status = await _env.WaitForStageAsync("full-copy", "Finished", TimeSpan.FromMinutes(3));
        Assert.Equal("full-worker-1", status["worker_name"]!.GetValue<string>());
        Assert.Equal("Load", status["unit"]!.GetValue<string>());
        await AssertTargetEqualsSourceAsync();
        Assert.Equal(0L, Convert.ToInt64(await _target.ScalarAsync(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME = 'ignored'")));
    }

    [Fact]
    public async Task KilledWorkerIsReplacedAndTheCopyCompletesWithoutDuplicates()
    {
        var worker1 = await DmWorkerProcess.StartAsync("kill-worker-1", [_master]);
        await CreateSourceAndTaskAsync("full-kill");
        await MigrationEnvironment.WaitForAsync(async () => (await _env.StatusAsync("full-kill"))["worker_name"]!.GetValue<string>() == "kill-worker-1",
            "source bound to worker 1", TimeSpan.FromSeconds(30));
        await using var worker2 = await DmWorkerProcess.StartAsync("kill-worker-2", [_master]);
        await _env.StartTaskAsync("full-kill");

        // Kill the worker while it copies (as soon as rows have reached the target).
        await MigrationEnvironment.WaitForAsync(async () => await _env.TargetRowsAsync("shop_copy") > 0
            || (await _env.StatusAsync("full-kill"))["stage"]!.GetValue<string>() == "Finished", "the copy to start", TimeSpan.FromMinutes(2));
        var killedAt = DateTime.UtcNow;
        worker1.Kill();

        var status = await _env.WaitForStageAsync("full-kill", "Finished", TimeSpan.FromMinutes(3));
        Assert.Equal("kill-worker-2", status["worker_name"]!.GetValue<string>());
        Assert.True(DateTime.UtcNow - killedAt < TimeSpan.FromMinutes(3));
        await AssertTargetEqualsSourceAsync();
        await worker1.DisposeAsync();
    }

    private async Task AssertTargetEqualsSourceAsync()
    {
        await using var source = await _upstream.OpenAsync();
        await using var target = await _target.OpenAsync();
        await MigrationComparer.AssertSameAsync(source, target, Tables);
    }
}
