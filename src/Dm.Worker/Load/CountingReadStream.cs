namespace Dm.Worker.Load;

/// <summary>
/// A read-only view of a stream that counts the bytes read and remembers whether the end was reached. A load
/// from a stream commits only after the stream really ended: if the producer failed, the read threw instead.
/// Reads also observe <paramref name="abort"/>: the driver reads a LOAD DATA LOCAL source without a token, so a
/// pause must end the stream itself (the driver then ends the statement and the chunk's transaction rolls back).
/// </summary>
public sealed class CountingReadStream(Stream inner, CancellationToken abort = default) : Stream
{
    public long BytesRead { get; private set; }
    public bool ReachedEnd { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        abort.ThrowIfCancellationRequested();
        return Count(inner.Read(buffer, offset, count));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        abort.ThrowIfCancellationRequested();
        return Count(await inner.ReadAsync(buffer, cancellationToken.CanBeCanceled ? cancellationToken : abort));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int n)
    {
        if (n == 0) ReachedEnd = true;
        BytesRead += n;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
