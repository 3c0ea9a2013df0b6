using Dm.Binlog.Events;
using Dm.Binlog.Replication;
using Dm.TestKit;

namespace Dm.Binlog.Tests;

/// <summary>What the replication tests share: the source's current position and reading to its end.</summary>
internal static class BinlogReading
{
    public static BinlogClientOptions Options(MariaDbServer server) => new()
    {
        Host = server.Host,
        Port = server.Port,
        User = server.User,
        Password = server.Password,
        ServerId = 4242,
        StopAtEnd = true,
    };

    public static async Task<BinlogPosition> CurrentPositionAsync(MariaDbServer server)
    {
        await using var connection = await server.OpenAsync();
        await using var command = new MySqlConnector.MySqlCommand("SHOW MASTER STATUS", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return new BinlogPosition(reader.GetString(0), reader.GetInt64(1));
    }

    /// <summary>All events from <paramref name="start"/> to the current end of the binlog.</summary>
    public static async Task<List<BinlogEvent>> ReadToEndAsync(MariaDbServer server, BinlogPosition start)
    {
        var client = new BinlogClient(Options(server) with { StartPosition = start });
        var events = new List<BinlogEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var ev in client.ReadEventsAsync(timeout.Token)) events.Add(ev);
        return events;
    }
}
