using MySqlConnector;

namespace Dm.TestKit;

/// <summary>Options for a throwaway MariaDB server; the defaults suit a replication source.</summary>
public sealed record MariaDbOptions
{
    public int ServerId { get; init; } = 1;
    public string RootPassword { get; init; } = "dm-test-pass";
    public string BinlogFormat { get; init; } = "ROW";
    public bool LogBin { get; init; } = true;
    /// <summary>Further <c>--name=value</c> server options, e.g. <c>binlog-row-image=MINIMAL</c>.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}

/// <summary>
/// A real <c>mariadbd</c> on a free loopback port with a temporary data dir: binlog on, ROW format,
/// the chosen server-id and a root password usable over TCP. The data dir is cloned from a template
/// made once per test host by <c>mariadb-install-db</c>, which keeps a start to about a second.
/// </summary>
public sealed class MariaDbServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _template;

    private ChildProcess? _process;

    public MariaDbOptions Options { get; }
    public string Host => "127.0.0.1";
    public int Port { get; }
    public string User => "root";
    public string Password => Options.RootPassword;
    public string BaseDirectory { get; }
    public string DataDirectory => Path.Combine(BaseDirectory, "data");
    public string BinlogDirectory => Path.Combine(BaseDirectory, "binlog");
    public string SocketPath => Path.Combine(BaseDirectory, "mysqld.sock");
    public string ErrorLogPath => Path.Combine(BaseDirectory, "error.log");
    public bool IsRunning => _process is { HasExited: false };

    private MariaDbServer(MariaDbOptions options, int port, string baseDirectory)
    {
        Options = options;
        Port = port;
        BaseDirectory = baseDirectory;
    }

    public string ConnectionString(string? database = null) => new MySqlConnectionStringBuilder
    {
        Server = Host,
        Port = (uint)Port,
        UserID = User,
        Password = Password,
        Database = database ?? "",
        AllowUserVariables = true,
        SslMode = MySqlSslMode.None,
        Pooling = true,
        MaximumPoolSize = 64,
        ConnectionTimeout = 10,
        DefaultCommandTimeout = 120,
    }.ConnectionString;

    public static async Task<MariaDbServer> StartAsync(MariaDbOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MariaDbOptions();
        var template = await EnsureTemplateAsync(cancellationToken);
        var baseDir = ScratchDirectory.Create("mariadb");
        CopyDirectory(template, Path.Combine(baseDir, "data"));
        Directory.CreateDirectory(Path.Combine(baseDir, "binlog"));
        Directory.CreateDirectory(Path.Combine(baseDir, "tmp"));
        var server = new MariaDbServer(options, FreePort.Next(), baseDir);
        try
        {
            await server.StartProcessAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Starts the server again on the same port and data dir after <see cref="StopAsync"/> or <see cref="Kill"/>.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning) throw new InvalidOperationException("server is running");
        return StartProcessAsync(cancellationToken);
    }

    public async Task StopAsync()
    {
        if (_process != null) await _process.StopAsync(TimeSpan.FromSeconds(30));
        _process = null;
        MySqlConnection.ClearAllPools();
    }

    public void Kill()
    {
        _process?.KillNow();
        _process = null;
        MySqlConnection.ClearAllPools();
    }

    public async Task<MySqlConnection> OpenAsync(string? database = null, CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(ConnectionString(database));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken: cancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken: cancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var initFile = Path.Combine(BaseDirectory, "init.sql");
        var password = Options.RootPassword.Replace("\\", "\\\\").Replace("'", "\\'");
        // mariadb-install-db makes root accounts for several hosts; give every one the password so
        // whichever the server matches (127.0.0.1 under skip-name-resolve) authenticates the same.
        var init = new System.Text.StringBuilder();
        foreach (var host in new[] { "%", "127.0.0.1", "::1", "localhost" })
        {
            init.Append($"CREATE USER IF NOT EXISTS 'root'@'{host}' IDENTIFIED BY '{password}';\n");
            init.Append($"ALTER USER 'root'@'{host}' IDENTIFIED BY '{password}';\n");
            init.Append($"GRANT ALL PRIVILEGES ON *.* TO 'root'@'{host}' WITH GRANT OPTION;\n");
        }
        await File.WriteAllTextAsync(initFile, init.ToString(), cancellationToken);

        var args = new List<string>
        {
            "--no-defaults",
            $"--datadir={DataDirectory}",
            $"--port={Port}",
            "--bind-address=127.0.0.1",
            $"--socket={SocketPath}",
            // Its own temp dir: nothing that cleans the machine's /tmp can pull files from under a running server.
            $"--tmpdir={Path.Combine(BaseDirectory, "tmp")}",
            $"--pid-file={Path.Combine(BaseDirectory, "mysqld.pid")}",
            $"--log-error={ErrorLogPath}",
            $"--init-file={initFile}",
            $"--server-id={Options.ServerId}",
            "--user=root",
            "--skip-name-resolve",
            "--innodb-buffer-pool-size=128M",
            "--innodb-log-file-size=64M",
            "--innodb-flush-log-at-trx-commit=2",
            "--sync-binlog=0",
            "--max-connections=500",
            "--max-allowed-packet=256M",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_general_ci",
            "--performance-schema=OFF",
        };
        if (Options.LogBin)
        {
            args.Add($"--log-bin={Path.Combine(BinlogDirectory, "mysql-bin")}");
            args.Add($"--binlog-format={Options.BinlogFormat}");
        }
        args.AddRange(Options.ExtraArguments.Select(a => a.StartsWith("--", StringComparison.Ordinal) ? a : "--" + a));

        _process = ChildProcess.Start($"mariadbd:{Port}", "mariadbd", args, Path.Combine(BaseDirectory, "stdout.log"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new InvalidOperationException($"mariadbd exited with {_process.ExitCode}: {ReadErrorLog()}");
            try
            {
                await using var connection = new MySqlConnection(ConnectionString() + ";Pooling=false");
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (MySqlException e)
            {
                last = e;
                await Task.Delay(100, cancellationToken);
            }
        }
        throw new TimeoutException($"mariadbd on port {Port} did not accept connections: {last?.Message}\n{ReadErrorLog()}");
    }

    private string ReadErrorLog() => File.Exists(ErrorLogPath) ? File.ReadAllText(ErrorLogPath) : "(no error log)";

    private static async Task<string> EnsureTemplateAsync(CancellationToken cancellationToken)
    {
        await TemplateGate.WaitAsync(cancellationToken);
        try
        {
            if (_template != null) return _template;
            var dir = ScratchDirectory.Create("template");
            await ChildProcess.RunAsync("mariadb-install-db",
                ["--no-defaults", $"--datadir={dir}", "--user=root", "--auth-root-authentication-method=normal",
                 "--skip-test-db", "--skip-name-resolve"],
                TimeSpan.FromMinutes(3), cancellationToken);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(dir);
            return _template = dir;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        TryDelete(BaseDirectory);
    }
}
