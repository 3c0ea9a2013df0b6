using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Tests;

[Collection(FullCopyCollection.Name)]
public sealed class BadInputTests(SourceAndTargetFixture fx)
{
    [Fact]
    public async Task Unwritable_dump_dir_is_a_dump_unit_error()
    {
        var file = Path.GetTempFileName();
        var (dump, _) = FullCopyUnits.Create(fx.Context("bad_dir", streaming: false, dumpDir: Path.Combine(file, "dump")));
        var error = await Assert.ThrowsAsync<DmException>(() => dump.InitAsync(CancellationToken.None));
        Assert.Equal(32001, error.Code);
        Assert.Contains("not writable", error.Message);
        File.Delete(file);
    }

    [Fact]
    public async Task Target_without_privileges_fails_with_execute_error_and_writes_nothing()
    {
        await fx.ResetTargetAsync();
        await fx.Target.ExecuteAsync("CREATE USER IF NOT EXISTS 'reader'@'%' IDENTIFIED BY 'pw'");
        await fx.Target.ExecuteAsync("GRANT SELECT ON *.* TO 'reader'@'%'");
        var context = fx.Context("no_priv", streaming: true) with { Target = new DatabaseEndpoint(fx.Target.Host, fx.Target.Port, "reader", "pw") };
        var (dump, _) = FullCopyUnits.Create(context);
        await dump.InitAsync(CancellationToken.None);
        var result = await dump.ProcessAsync(CancellationToken.None);
        Assert.Equal(UnitOutcome.Failed, result.Outcome);
        Assert.False(result.Resumable);
        Assert.Equal(10006, result.Error!.Code);
        Assert.Contains("CREATE DATABASE IF NOT EXISTS `dm_meta`", result.Error.Message);
        Assert.Contains("denied", result.Error.Message);
        await using var target = await fx.Target.OpenAsync();
        await using var command = new MySqlCommand("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN ('mysql','information_schema','performance_schema','sys')", target);
        Assert.Equal(0L, Convert.ToInt64(await command.ExecuteScalarAsync()));
    }

    [Fact]
    public async Task Load_without_a_finished_dump_reports_the_missing_dir()
    {
        var (_, load) = FullCopyUnits.Create(fx.Context("no_dump", streaming: false));
        await load.InitAsync(CancellationToken.None);
        var result = await load.ProcessAsync(CancellationToken.None);
        Assert.Equal(UnitOutcome.Failed, result.Outcome);
        Assert.Equal(34014, result.Error!.Code);
    }

    [Fact]
    public async Task Unreachable_source_is_a_resumable_driver_error()
    {
        var context = fx.Context("no_source", streaming: false) with { Source = new DatabaseEndpoint("127.0.0.1", 1, "root", "x") };
        var (dump, _) = FullCopyUnits.Create(context);
        await dump.InitAsync(CancellationToken.None);
        var result = await dump.ProcessAsync(CancellationToken.None);
        Assert.Equal(UnitOutcome.Failed, result.Outcome);
        Assert.Equal(10001, result.Error!.Code);
        Assert.True(result.Resumable);
    }

    [Fact]
    public async Task Wrong_source_password_is_not_resumable()
    {
        var context = fx.Context("bad_password", streaming: true) with { Source = new DatabaseEndpoint(fx.Source.Host, fx.Source.Port, "root", "wrong") };
        var (dump, _) = FullCopyUnits.Create(context);
        await dump.InitAsync(CancellationToken.None);
        var result = await dump.ProcessAsync(CancellationToken.None);
        Assert.Equal(UnitOutcome.Failed, result.Outcome);
        Assert.Equal(10001, result.Error!.Code);
        Assert.False(result.Resumable, result.Error.Message);
    }

    [Fact]
    public async Task Unsupported_extra_args_and_bad_on_duplicate_are_rejected_at_init()
    {
        var (dump, _) = FullCopyUnits.Create(fx.Context("bad_args", streaming: false, adjust: c => c.Mydumper.ExtraArgs = "--no-locks"));
        Assert.Equal(32001, (await Assert.ThrowsAsync<DmException>(() => dump.InitAsync(CancellationToken.None))).Code);
        var (_, load) = FullCopyUnits.Create(fx.Context("bad_dup", streaming: false, adjust: c => c.Loader.OnDuplicateLogical = "merge"));
        await Assert.ThrowsAsync<DmException>(() => load.InitAsync(CancellationToken.None));
    }
}
