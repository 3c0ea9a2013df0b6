using Dm.Ctl.Master;
using Dm.Ctl.Output;

namespace Dm.Ctl.Cli;

/// <summary>What every command may use: the master (connected lazily), the global <c>-s</c> list, and where to print.</summary>
public sealed class CommandContext(Func<MasterClient> connect, OutputFormat format, TextWriter output) : IDisposable
{
    private MasterClient? _master;

    public MasterClient Master => _master ??= connect();

    public OutputFormat Format { get; } = format;

    /// <summary>Where commands that print as they go (query-status --watch) write.</summary>
    public TextWriter Out { get; } = output;

    public void Dispose() => _master?.Dispose();
}
