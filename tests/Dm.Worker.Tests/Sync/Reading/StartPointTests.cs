using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Worker.Sync;
using Dm.Worker.Sync.Reading;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace Dm.Worker.Tests.Sync.Reading;

/// <summary>Where a subtask without a checkpoint starts, for the cases that need no upstream: the refusals, and an absolute start_time.</summary>
public sealed class StartPointTests
{
    private static SyncSettings Settings(string mode, BinlogMeta? meta = null)
    {
        var config = new SubTaskConfig { Name = "start", Mode = mode, SourceId = "source", Meta = meta };
        config.Adjust();
        var endpoint = new DatabaseEndpoint("127.0.0.1", 1, "root", "");
        return new SyncSettings(config, new SourceConfig { SourceId = "source" }, endpoint, endpoint);
    }

    private static Task<MySqlConnection> NoUpstream(CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the upstream is not needed");

    [Fact]
    public async Task A_full_copy_that_recorded_no_start_is_an_error_naming_remove_meta()
    {
        var error = await Assert.ThrowsAsync<DmException>(() => StartPoint.ResolveAsync(Settings(TaskModes.All), NoUpstream, NullLogger.Instance, default));
        Assert.Equal(DmErrors.ErrSyncerEvent.Code, error.Code);
        Assert.Contains("remove_meta", error.Message);
    }

    [Fact]
    public async Task An_incremental_task_needs_a_meta_or_a_start_time()
    {
        var error = await Assert.ThrowsAsync<DmException>(() =>
            StartPoint.ResolveAsync(Settings(TaskModes.Incremental, new BinlogMeta()), NoUpstream, NullLogger.Instance, default));
        Assert.Equal(DmErrors.ErrConfigMetaInvalid.Code, error.Code);
        Assert.Contains("mysql-instance(source)", error.Message);
    }

    [Theory]
    [InlineData("2024-05-01T10:00:00+02:00", "2024-05-01T08:00:00")]
    [InlineData("2024-05-01 10:00:00Z", "2024-05-01T10:00:00")]
    [InlineData("2024-05-01T10:00:00-03:30", "2024-05-01T13:30:00")]
    public async Task A_start_time_with_an_offset_is_absolute(string text, string utc)
    {
        await using var unopened = new MySqlConnection();
        Assert.Equal(DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture),
            await StartPoint.StartTimeUtcAsync(unopened, text, default));
    }
}
