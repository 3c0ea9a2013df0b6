using Dm.Core.Errors;
using Dm.Worker.Errors;

namespace Dm.Worker.Sync.Reading;

/// <summary>Reading the upstream binlog failed (after in-run reconnects), with the kind <see cref="DatabaseErrorPolicy"/> gave it.</summary>
internal sealed class BinlogReadException(DmException error, ErrorKind kind) : Exception(error.Message, error)
{
    public DmException Error { get; } = error;
    public ErrorKind Kind { get; } = kind;
}
