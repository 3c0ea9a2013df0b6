using Dm.Contracts;

namespace Dm.Worker.Tests.Query;

/// <summary>
/// The worker's query service over real gRPC-Web: schema-tracker operations and error operations reach the
/// subtask's Sync control, and every refusal comes back in the reply with DM's code (never a gRPC fault).
/// </summary>
public sealed class WorkerQueryServiceTests(QueryServiceHost host) : IClassFixture<QueryServiceHost>
{
    private const string Source = "q-src";

    private InMemorySyncControl Run(string task)
    {
        host.BoundSource = Source;
        var control = new InMemorySyncControl();
        host.Subtasks[task] = ("Sync", control);
        return control;
    }

    private static SubtaskRef Ref(string task) => new() { Task = task, Source = Source };

    private static TableRef Table(string task, string schema, string table) => new() { Subtask = Ref(task), Schema = schema, Table = table };

    [Fact]
    public async Task ListsGetsSetsAndDeletesTrackedTables()
    {
        var control = Run("tracker");
        control.Track("shop", "orders", "CREATE TABLE `orders` (`id` int NOT NULL, PRIMARY KEY (`id`))");
        control.Track("shop", "customers", "CREATE TABLE `customers` (`id` int)");
        control.Track("logs", "events", "CREATE TABLE `events` (`id` bigint)");

        var schemas = await host.Client.ListSchemasAsync(Ref("tracker"));
        Assert.Null(schemas.Error);
        Assert.Equal(["logs", "shop"], schemas.Names);
        var tables = await host.Client.ListTablesAsync(new SchemaRef { Subtask = Ref("tracker"), Schema = "shop" });
        Assert.Equal(["customers", "orders"], tables.Names);
        var got = await host.Client.GetTableAsync(Table("tracker", "shop", "orders"));
        Assert.Equal("CREATE TABLE `orders` (`id` int NOT NULL, PRIMARY KEY (`id`))", got.CreateTable);

        var set = await host.Client.SetTableAsync(new SetTableRequest
        {
            Table = Table("tracker", "shop", "orders"), From = TableStructureSource.Sql, Sql = "CREATE TABLE orders (id INT, note TEXT)", Flush = false,
        });
        Assert.Null(set.Error);
        Assert.Equal("CREATE TABLE orders (id INT, note TEXT)", (await host.Client.GetTableAsync(Table("tracker", "shop", "orders"))).CreateTable);
        Assert.Contains("set shop.orders flush=False", control.Calls);

        control.Databases[(true, "shop", "orders")] = "CREATE TABLE `orders` (`id` int, `v` int)";
        Assert.Null((await host.Client.SetTableAsync(new SetTableRequest
        {
            Table = Table("tracker", "shop", "orders"), From = TableStructureSource.Downstream, Flush = true,
        })).Error);
        Assert.Contains("set shop.orders from target flush=True", control.Calls);
        Assert.Equal("CREATE TABLE `orders` (`id` int, `v` int)", (await host.Client.GetTableAsync(Table("tracker", "shop", "orders"))).CreateTable);

        Assert.Null((await host.Client.DeleteTableAsync(Table("tracker", "shop", "orders"))).Error);
        Assert.Equal(["customers"], (await host.Client.ListTablesAsync(new SchemaRef { Subtask = Ref("tracker"), Schema = "shop" })).Names);
    }

    [Fact]
    public async Task TrackerRefusalsCarryDmCodes()
    {
        var control = Run("refusals");
        control.Track("shop", "orders", "CREATE TABLE `orders` (`id` int)");

        var unknownSchema = await host.Client.ListTablesAsync(new SchemaRef { Subtask = Ref("refusals"), Schema = "nope" });
        Assert.Equal(44015, unknownSchema.Error.Code);
        Assert.Contains("`nope`", unknownSchema.Error.Message);
        Assert.Equal(44005, (await host.Client.GetTableAsync(Table("refusals", "shop", "missing"))).Error.Code);
        Assert.Equal(44011, (await host.Client.DeleteTableAsync(Table("refusals", "shop", "missing"))).Error.Code);

        var badSql = await host.Client.SetTableAsync(new SetTableRequest
        {
            Table = Table("refusals", "shop", "orders"), From = TableStructureSource.Sql, Sql = "DROP TABLE orders",
        });
        Assert.Equal(44009, badSql.Error.Code);
        Assert.Contains("DROP TABLE orders", badSql.Error.Message);

        // A failure that is not a DM error is still answered, as DM's "some error occurs in dm-worker".
        var fromUpstream = await host.Client.SetTableAsync(new SetTableRequest
        {
            Table = Table("refusals", "shop", "gone"), From = TableStructureSource.Upstream,
        });
        Assert.Equal(38032, fromUpstream.Error.Code);
        Assert.Contains("doesn't exist", fromUpstream.Error.Message);
    }

    [Fact]
    public async Task SubtasksWithoutARunningSyncUnitAreRefusedLikeDm()
    {
        host.BoundSource = Source;
        host.Subtasks["copying"] = ("Load", null);
        host.Subtasks["no-control"] = ("Sync", null);

        Assert.Equal(40054, (await host.Client.ListSchemasAsync(Ref("not-here"))).Error.Code);
        var loading = await host.Client.GetTableAsync(Table("copying", "shop", "orders"));
        Assert.Equal(40056, loading.Error.Code);
        Assert.Contains("current unit is Load", loading.Error.Message);
        Assert.Equal(40056, (await host.Client.HandleErrorAsync(new HandleErrorRequest { Subtask = Ref("no-control") })).Error.Code);
        var otherSource = await host.Client.ListSchemasAsync(new SubtaskRef { Task = "copying", Source = "elsewhere" });
        Assert.Equal(40054, otherSource.Error.Code);
        Assert.Contains("elsewhere", otherSource.Error.Message);
    }

    [Fact]
    public async Task HandleErrorRecordsListsAndRevertsOperations()
    {
        var control = Run("errors");
        control.StoppedAt = Dm.Binlog.Replication.BinlogPosition.Parse("mysql-bin.000002:1234");

        Assert.Null((await host.Client.HandleErrorAsync(new HandleErrorRequest { Subtask = Ref("errors"), Operation = ErrorOperationKind.Skip })).Error);
        var replace = new HandleErrorRequest { Subtask = Ref("errors"), Operation = ErrorOperationKind.Replace, Position = At("mysql-bin.000003:4") };
        replace.Statements.Add("ALTER TABLE shop.orders ADD COLUMN c INT");
        replace.Statements.Add("ALTER TABLE shop.orders ADD COLUMN d INT");
        Assert.Null((await host.Client.HandleErrorAsync(replace)).Error);

        var listed = await host.Client.ListErrorOperationsAsync(new ErrorOperationRef { Subtask = Ref("errors") });
        Assert.Equal(["mysql-bin.000002:1234", "mysql-bin.000003:4"], listed.Operations.Select(o => Text(o.Position)));
        Assert.Equal(ErrorOperationKind.Skip, listed.Operations[0].Operation);
        Assert.Equal(ErrorOperationKind.Replace, listed.Operations[1].Operation);
        Assert.Equal(replace.Statements, listed.Operations[1].Statements);
        var one = await host.Client.ListErrorOperationsAsync(new ErrorOperationRef { Subtask = Ref("errors"), Position = At("mysql-bin.000003:4") });
        Assert.Single(one.Operations);

        Assert.Null((await host.Client.RevertErrorOperationAsync(new ErrorOperationRef { Subtask = Ref("errors"), Position = At("mysql-bin.000003:4") })).Error);
        var reverted = await host.Client.RevertErrorOperationAsync(new ErrorOperationRef { Subtask = Ref("errors"), Position = At("mysql-bin.000003:4") });
        Assert.Equal(36065, reverted.Error.Code);
        Assert.Equal(["mysql-bin.000002:1234"], (await host.Client.ListErrorOperationsAsync(new ErrorOperationRef { Subtask = Ref("errors") }))
            .Operations.Select(o => Text(o.Position)));

        control.StoppedAt = null;
        var nothingToSkip = await host.Client.HandleErrorAsync(new HandleErrorRequest { Subtask = Ref("errors"), Operation = ErrorOperationKind.Skip });
        Assert.Equal(36065, nothingToSkip.Error.Code);
    }

    [Fact]
    public async Task AWorkerWithoutASourceSaysSo()
    {
        var saved = host.BoundSource;
        host.BoundSource = "";
        try
        {
            Assert.Equal(40070, (await host.Client.ListSchemasAsync(Ref("anything"))).Error.Code);
        }
        finally
        {
            host.BoundSource = saved;
        }
    }

    [Fact]
    public async Task APurgeOnAWorkerThatPullsNoRelayLogIsAnInvalidRequest()
    {
        var reply = await host.Client.PurgeRelayAsync(new PurgeRelayRequest { Source = "src", FileName = "mysql-bin.000003" });
        Assert.Equal(30039, reply.Error.Code);
        Assert.Contains("pulls no relay log of source src", reply.Error.Message);
        Assert.Empty(reply.Removed);
    }

    private static EventPosition At(string position) => ContractMapping.ToMessage(Dm.Binlog.Replication.BinlogPosition.Parse(position));

    private static string Text(EventPosition position) => ContractMapping.ToPosition(position)!.Value.ToString();
}
