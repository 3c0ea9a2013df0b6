using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dm.Binlog.Replication;
using Dm.Core.Upstream;

namespace Dm.Worker.Dump;

/// <summary>
/// The dump dir of a file-mode dump: schema files, one data file per chunk, the plan with the first snapshot's
/// position (<see cref="DumpFileNames.Manifest"/>), the log of finished chunks, and <c>metadata</c> written last
/// (its presence means the dump is complete). Files appear by rename, so a killed dump never leaves a half file
/// that looks finished.
/// </summary>
public sealed class DumpDirectory(string path)
{
    private readonly Lock _logLock = new();

    public string Path { get; } = path;

    /// <param name="Csv">The dialect of the chunk files when they are CSV; null for SQL files.</param>
    /// <param name="SourceId">The source dumped (tells a restarted worker whose dump files it holds).</param>
    public sealed record Manifest(DumpPlan Plan, [property: JsonConverter(typeof(BinlogLocationJsonConverter))] BinlogLocation FirstPosition,
        CsvFormat? Csv = null, string? SourceId = null);

    public bool IsComplete => File.Exists(Combine(DumpFileNames.Metadata));

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Creates the dir and proves it writable, so a bad dir fails before any snapshot is taken.</summary>
    public void EnsureWritable()
    {
        Directory.CreateDirectory(Path);
        var probe = Combine(".dm-write-probe");
        File.WriteAllText(probe, "");
        File.Delete(probe);
    }

    public Manifest? ReadManifest()
    {
        var file = Combine(DumpFileNames.Manifest);
        return File.Exists(file) ? JsonSerializer.Deserialize<Manifest>(File.ReadAllText(file)) : null;
    }

    /// <summary>The manifest, or null when it is missing or unreadable (for reports, never for loading).</summary>
    public Manifest? TryReadManifest()
    {
        try { return ReadManifest(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { return null; }
    }

    public HashSet<string> ReadFinished()
    {
        var file = Combine(DumpFileNames.FinishedLog);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(file)) return finished;
        // A line counts only when complete (ends with \n) and its data file exists.
        var text = File.ReadAllText(file);
        var end = text.LastIndexOf('\n');
        foreach (var id in text[..(end + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Combine(id))) finished.Add(id);
        return finished;
    }

    /// <summary>Forgets a previous attempt entirely (its snapshot is gone and chunks must not be mixed).</summary>
    public void Reset()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        EnsureWritable();
    }

    public void WriteManifest(Manifest manifest)
    {
        WriteAtomically(DumpFileNames.Manifest, JsonSerializer.Serialize(manifest));
        foreach (var schema in manifest.Plan.TargetSchemas())
            WriteAtomically(DumpFileNames.SchemaCreate(schema), $"CREATE DATABASE IF NOT EXISTS {Quote.Identifier(schema)};\n");
        foreach (var table in manifest.Plan.Tables)
            WriteAtomically(DumpFileNames.TableSchema(table), table.CreateTableSql + ";\n");
    }

    public Task WriteChunkAsync(ChunkPlan chunk, IAsyncEnumerable<string> bodies, CancellationToken cancellationToken) =>
        WriteChunkAsync(chunk, async (stream, ct) =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            await foreach (var body in bodies.WithCancellation(ct))
            {
                await writer.WriteAsync("INSERT INTO ");
                await writer.WriteAsync(body);
                await writer.WriteAsync(";\n");
            }
            await writer.FlushAsync(ct);
        }, cancellationToken);

    /// <summary>Writes a chunk file through <paramref name="write"/>, durably, then logs it as finished.</summary>
    public async Task WriteChunkAsync(ChunkPlan chunk, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var temporary = Combine(chunk.Id + ".tmp");
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            await write(stream, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, Combine(chunk.Id), overwrite: true);
        lock (_logLock)
            File.AppendAllText(Combine(DumpFileNames.FinishedLog), chunk.Id + "\n");
    }

    public void WriteMetadata(DumpMetadata metadata, DateTime started) =>
        WriteAtomically(DumpFileNames.Metadata, metadata.Render(started, DateTime.UtcNow));

    public DumpMetadata ReadMetadata() => DumpMetadata.Parse(File.ReadAllText(Combine(DumpFileNames.Metadata)));

    private void WriteAtomically(string name, string content)
    {
        var temporary = Combine(name + ".tmp");
        File.WriteAllText(temporary, content, new UTF8Encoding(false));
        File.Move(temporary, Combine(name), overwrite: true);
    }
}
