using Dm.Core.Api;
using Dm.Worker.Dump;
using Dm.Worker.Units;

namespace Dm.Worker.Tests;

[Collection(FullCopyCollection.Name)]
public sealed class FullCopyTests(SourceAndTargetFixture fx)
{
    [Fact]
    public async Task Streaming_copy_matches_source_rows_and_structure()
    {
        await fx.ResetTargetAsync();
        await fx.SeedConflictingTargetRowAsync();
        var (dump, load) = FullCopyUnits.Create(fx.Context("stream_task", streaming: true));
        await UnitDriver.RunToEndAsync(dump);
        await UnitDriver.RunToEndAsync(load);
        await fx.AssertMigratedAsync();

        var dumpStatus = (DumpStatus)dump.Status();
        Assert.Equal(8, dumpStatus.TotalTables);
        Assert.Equal(8, dumpStatus.CompletedTables);
        Assert.Equal("100.00 %", dumpStatus.Progress);
        Assert.True(dumpStatus.FinishedRows >= SourceCorpus.BigRows);
        var loadStatus = (LoadStatus)load.Status();
        Assert.Equal("100.00 %", loadStatus.Progress);
        Assert.Equal(loadStatus.TotalBytes, loadStatus.FinishedBytes);
        Assert.Matches(@"^\(.+-bin\.\d+, \d+\)$", loadStatus.MetaBinlog);
        Assert.Matches(@"^\d+-11-\d+$", loadStatus.MetaBinlogGtid);
        Assert.NotNull(load.Metadata);

        // The comparison itself must catch a duplicated row and a changed byte.
        await fx.Target.ExecuteAsync("INSERT INTO types_db.nopk VALUES (1, 'dup')");
        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(fx.AssertMigratedAsync);
        await fx.Target.ExecuteAsync("DELETE FROM types_db.nopk WHERE a = 1 LIMIT 1");
        await fx.AssertMigratedAsync();
        await fx.Target.ExecuteAsync("UPDATE types_db.all_types SET c_longblob = CONCAT(c_longblob, X'00') WHERE c_longblob IS NOT NULL LIMIT 1");
        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(fx.AssertMigratedAsync);
    }

    [Fact]
    public async Task File_mode_dump_writes_schema_data_and_metadata_then_load_matches_and_cleans_up()
    {
        await fx.ResetTargetAsync();
        await fx.SeedConflictingTargetRowAsync();
        var context = fx.Context("file_task", streaming: false, adjust: c => c.SourceId = "holder-src");
        var (dump, load) = FullCopyUnits.Create(context);
        await UnitDriver.RunToEndAsync(dump);
        Assert.Contains("holder-src", context.DumpFiles.Sources());

        var dir = context.DumpDirectory;
        var metadata = DumpMetadata.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "metadata")));
        Assert.Equal(dump.Metadata!.Position, metadata.Position);
        // Dump files keep the upstream's names, as DM's do; the Load unit routes them (to route_dst.renamed here).
        Assert.Contains("CREATE TABLE IF NOT EXISTS `orig_1`", await File.ReadAllTextAsync(Path.Combine(dir, "route_src.orig_1-schema.sql")));
        Assert.True(File.Exists(Path.Combine(dir, "route_src-schema-create.sql")));
        Assert.False(File.Exists(Path.Combine(dir, "route_dst-schema-create.sql")));
        Assert.StartsWith("INSERT INTO `route_src`.`orig_1` (", await File.ReadAllTextAsync(Path.Combine(dir, "route_src.orig_1.000000.sql")));
        Assert.True(File.Exists(Path.Combine(dir, "we%60ird%2Ddb.ta%20ble.000000.sql")));
        Assert.True(Directory.GetFiles(dir, "big_db.big.*.sql").Length >= 10, "the 300k-row table is split into key ranges");
        Assert.False(File.Exists(Path.Combine(dir, "skip_db.t.000000.sql")));

        await UnitDriver.RunToEndAsync(load);
        await fx.AssertMigratedAsync();
        Assert.False(Directory.Exists(dir), "clean-dump-file removes the dump dir");
        Assert.DoesNotContain("holder-src", context.DumpFiles.Sources());
        Assert.Equal("100.00 %", ((LoadStatus)load.Status()).Progress);
    }

    [Fact]
    public async Task Csv_file_type_dumps_dumpling_style_csv_and_load_copies_every_column_exactly()
    {
        await fx.ResetTargetAsync();
        await fx.SeedConflictingTargetRowAsync();
        // Streaming is allowed here, but a task that asks for CSV files gets files.
        var context = fx.Context("csv_task", streaming: true, adjust: c =>
        {
            c.Mydumper.ExtraArgs = "--filetype csv";
            c.CleanDumpFile = false;
        });
        var (dump, load) = FullCopyUnits.Create(context);
        await UnitDriver.RunToEndAsync(dump);

        var dir = context.DumpDirectory;
        Assert.True(Directory.GetFiles(dir, "big_db.big.*.csv").Length >= 10, "the 300k-row table is split into CSV chunks");
        Assert.Empty(Directory.GetFiles(dir, "*.000000.sql"));
        var nopk = await File.ReadAllTextAsync(Path.Combine(dir, "types_db.nopk.000000.csv"));
        Assert.Equal("\"a\",\"b\"\r\n1,\"dup\"\r\n1,\"dup\"\r\n1,\"dup\"\r\n2,\\N\r\n\\N,\\N\r\n\\N,\\N\r\n", nopk);
        var weird = await File.ReadAllTextAsync(Path.Combine(dir, "we%60ird%2Ddb.ta%20ble.000000.csv"));
        Assert.Contains("\"b'\",\"y;\\n\",2\r\n", weird);

        await UnitDriver.RunToEndAsync(load);
        await fx.AssertMigratedAsync();
        Assert.Equal("100.00 %", ((LoadStatus)load.Status()).Progress);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Csv_load_with_on_duplicate_error_fails_on_an_existing_row_and_keeps_nothing_of_that_chunk()
    {
        await fx.ResetTargetAsync();
        await fx.SeedConflictingTargetRowAsync();
        var context = fx.Context("csv_dup", streaming: false, adjust: c =>
        {
            c.Mydumper.ExtraArgs = "--filetype csv --csv-separator '|'";
            c.Loader.OnDuplicateLogical = "error";
        });
        var (dump, load) = FullCopyUnits.Create(context);
        await UnitDriver.RunToEndAsync(dump);
        Assert.Equal("\"id\"|\"v\"\r\n1|\"p1\"\r\n2|\"p2\"\r\n", await File.ReadAllTextAsync(Path.Combine(context.DumpDirectory, "route_src.plain.000000.csv")));
        await load.InitAsync(CancellationToken.None);
        var result = await load.ProcessAsync(CancellationToken.None);
        Assert.Equal(UnitOutcome.Failed, result.Outcome);
        Assert.False(result.Resumable, result.Error?.Message);
        Assert.Equal(10006, result.Error!.Code);
        Assert.Contains("1062", result.Error.Message);
        Assert.Equal(1L, Convert.ToInt64(await fx.Target.ScalarAsync("SELECT COUNT(*) FROM route_dst.plain")));
        Directory.Delete(context.DumpDirectory, recursive: true);
    }

    [Fact]
    public void Dump_dirs_left_in_the_default_location_by_an_earlier_process_are_reported_by_source()
    {
        var dir = new DumpDirectory(Path.GetFullPath(Dm.Core.Config.LoaderConfig.DefaultDir + ".earlier_task"));
        // A registry is made when the worker process starts: the one made after the earlier process left its dir finds it.
        DumpFileRegistry registry;
        try
        {
            dir.Reset();
            Assert.DoesNotContain("earlier-src", new DumpFileRegistry().Sources());
            dir.WriteManifest(new DumpDirectory.Manifest(new DumpPlan([]), new Dm.Binlog.Replication.BinlogLocation("bin.000001", 4), null, "earlier-src"));
            registry = new DumpFileRegistry();
            Assert.Contains("earlier-src", registry.Sources());
        }
        finally
        {
            Directory.Delete(dir.Path, recursive: true);
        }
        Assert.DoesNotContain("earlier-src", registry.Sources());
    }
}
