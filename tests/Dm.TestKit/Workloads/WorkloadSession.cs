using System.Collections.Concurrent;
using MySqlConnector;

namespace Dm.TestKit.Workloads;

/// <summary>
/// One upstream connection of a workload: draws operations from its own Random(seed + index) — single statements,
/// explicit transactions of several (some rolled back), large transactions, DDL — and runs them. Statements that
/// concurrency makes fail (a dropped column or table, a key taken, a deadlock) are rolled back and counted; a lost
/// connection is re-opened, so the workload goes on through server restarts.
/// </summary>
internal sealed class WorkloadSession(int index, string connectionString, WorkloadOptions options, WorkloadCatalog catalog,
    ConcurrentDictionary<string, int> counts)
{
    /// <summary>Errors a concurrent workload runs into by design; anything else is a bug in the generator or the server.</summary>
    private static readonly HashSet<int> Tolerated =
    [
        1054, // unknown column: another connection dropped it
        1146, // table does not exist: dropped or renamed meanwhile
        1051, // unknown table in DROP TABLE: another connection dropped or renamed it first
        1062, // duplicate key: a range update or a re-used key
        1213, // deadlock
        1205, // lock wait timeout
        1412, // table definition changed under a transaction
        1020, // record changed since last read
    ];

    private readonly Random _random = new(options.Seed + index);
    private MySqlConnection? _connection;

    public async Task RunAsync(DateTime until, CancellationToken cancellationToken)
    {
        var dml = new WorkloadDml(_random, catalog);
        var ddl = new WorkloadDdl(_random, catalog);
        try
        {
            for (var done = 0; done < options.OperationsPerConnection && DateTime.UtcNow < until && !cancellationToken.IsCancellationRequested; done++)
            {
                await RunOneAsync(dml, ddl, cancellationToken);
                if (options.OperationDelay > TimeSpan.Zero) await Task.Delay(options.OperationDelay, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (_connection != null) await _connection.DisposeAsync();
        }
    }

    private async Task RunOneAsync(WorkloadDml dml, WorkloadDdl ddl, CancellationToken cancellationToken)
    {
        var roll = _random.NextDouble();
        if (roll < options.DdlRate)
        {
            await catalog.DdlGate.WaitAsync(cancellationToken);
            try
            {
                var (kind, sql, commit) = ddl.Next();
                if (await TryAsync(kind, [sql], transaction: false, cancellationToken)) commit();
            }
            finally
            {
                catalog.DdlGate.Release();
            }
        }
        else if (roll < options.DdlRate + options.LargeTransactionRate)
        {
            await TryAsync("large-transaction", [.. dml.Large(options.LargeTransactionRows)], transaction: true, cancellationToken);
        }
        else if (_random.Chance(0.2))
        {
            var statements = Enumerable.Range(0, _random.Next(2, options.MaxTransactionStatements + 1)).Select(_ => dml.Next().Sql).ToList();
            // Now and then a transaction that is rolled back: nothing of it may reach the target.
            if (_random.Chance(0.1)) await TryAsync("rolled-back", [.. statements, "ROLLBACK"], transaction: false, cancellationToken, begin: true);
            else await TryAsync("transaction", statements, transaction: true, cancellationToken);
        }
        else
        {
            var (kind, sql) = dml.Next();
            await TryAsync(kind, [sql], transaction: false, cancellationToken);
        }
    }

    /// <returns>whether every statement succeeded (and the transaction, if any, committed).</returns>
    private async Task<bool> TryAsync(string kind, IReadOnlyList<string> statements, bool transaction, CancellationToken cancellationToken, bool begin = false)
    {
        var connection = await ConnectionAsync(cancellationToken);
        try
        {
            if (transaction || begin) await ExecuteAsync(connection, "BEGIN", cancellationToken);
            foreach (var sql in statements) await ExecuteAsync(connection, sql, cancellationToken);
            if (transaction) await ExecuteAsync(connection, "COMMIT", cancellationToken);
            counts.AddOrUpdate(kind, 1, (_, n) => n + 1);
            return true;
        }
        catch (MySqlException e) when (Tolerated.Contains(e.Number))
        {
            counts.AddOrUpdate($"tolerated {e.Number}", 1, (_, n) => n + 1);
            try
            {
                await ExecuteAsync(connection, "ROLLBACK", cancellationToken);
            }
            catch (Exception lost) when (IsConnectionLoss(lost, cancellationToken))
            {
                await DropConnectionAsync();
            }
            return false;
        }
        catch (Exception e) when (IsConnectionLoss(e, cancellationToken))
        {
            counts.AddOrUpdate("connection lost", 1, (_, n) => n + 1);
            await DropConnectionAsync();
            return false;
        }
        catch (MySqlException e)
        {
            throw new InvalidOperationException(
                $"workload connection {index} (seed {options.Seed}): error {e.Number} {e.Message} in: {Shorten(string.Join("; ", statements))}", e);
        }
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<MySqlConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open }) return _connection;
        await DropConnectionAsync();
        var deadline = DateTime.UtcNow + options.ReconnectFor;
        while (true)
        {
            var connection = new MySqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                // Timestamps are written as UTC text; the session's zone must not shift or reject them (DST gaps).
                await ExecuteAsync(connection, "SET time_zone = '+00:00'", cancellationToken);
                return _connection = connection;
            }
            catch (MySqlException) when (DateTime.UtcNow < deadline)
            {
                await connection.DisposeAsync();
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private async Task DropConnectionAsync()
    {
        if (_connection == null) return;
        try { await _connection.DisposeAsync(); } catch (MySqlException) { } catch (IOException) { }
        _connection = null;
    }

    private static bool IsConnectionLoss(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && e switch
        {
            MySqlException m => m.ErrorCode is MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.CommandTimeoutExpired
                || m.Number is 2006 or 2013 or 1927 or 1053 || m.InnerException is IOException or System.Net.Sockets.SocketException
                || m.Message.Contains("Connection", StringComparison.OrdinalIgnoreCase) && m.Number == 0,
            IOException or System.Net.Sockets.SocketException or InvalidOperationException => true,
            _ => false,
        };

    private static string Shorten(string sql) => sql.Length <= 600 ? sql : sql[..600] + "…";
}
