using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Dm.ClusterState.Etcd;

/// <summary>
/// One prefix watch on etcd's watch stream, as <see cref="IClusterStore.WatchAsync"/> delivers it. It asks etcd for
/// history from the last delivered revision itself and drops the events of that revision: etcd then reports
/// "compacted" exactly when a needed revision is gone (a watch starting at the compaction revision would otherwise
/// get that revision's puts but not its deletes). When the stream's member is lost (killed, partitioned, without a
/// leader) the watch opens again on a member that answers, from where it stopped, so nothing is missed or repeated;
/// if none answers within the request timeout it fails with <see cref="ClusterStoreUnavailableException"/>.
/// </summary>
internal sealed class EtcdWatch(EtcdConnection connection, string prefix, long afterRevision, CancellationToken ct) : IDisposable
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    private readonly (ByteString Key, ByteString RangeEnd) _range = EtcdMessages.Prefix(prefix);
    private long _delivered = afterRevision;
    private AsyncDuplexStreamingCall<WatchRequest, WatchResponse>? _call;
    private CancellationTokenSource? _callCts;
    private WatchResponse? _pending;

    /// <summary>The next events (at least one), in revision order.</summary>
    /// <exception cref="CompactedRevisionException">history after the last delivered revision was compacted.</exception>
    /// <exception cref="ClusterStoreUnavailableException">no member could carry the watch within the request timeout.</exception>
    public async Task<List<WatchEvent>> NextAsync()
    {
        var timeout = connection.Options.RequestTimeout;
        DateTime? lostSince = null;
        var retryDelay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                if (_call is null)
                    await OpenAsync().ConfigureAwait(false);
                WatchResponse response;
                if (_pending is not null)
                {
                    (response, _pending) = (_pending, null);
                }
                else
                {
                    if (!await _call!.ResponseStream.MoveNext(ct).ConfigureAwait(false))
                        throw new RpcException(new Status(StatusCode.Unavailable, "etcd ended the watch stream"));
                    response = _call.ResponseStream.Current;
                }
                lostSince = null;
                retryDelay = TimeSpan.FromMilliseconds(50);
                var events = Accept(response);
                if (events.Count > 0)
                    return events;
            }
            catch (Exception e) when (!ct.IsCancellationRequested && IsLostStream(e))
            {
                // Our member is gone (or never answered the create in time): open again, on whichever member answers.
                CloseCall();
                lostSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - lostSince >= timeout)
                    throw new ClusterStoreUnavailableException(
                        $"etcd watch of '{prefix}' lost its connection and no member took it over within {timeout.TotalSeconds:0.###}s: {(e as RpcException)?.Status.Detail ?? e.Message}", e);
                await Task.Delay(retryDelay, ct).ConfigureAwait(false);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
            }
            catch (RpcException e)
            {
                CloseCall();
                throw EtcdErrors.Translate(e, $"watch of '{prefix}'", timeout, ct);
            }
        }
    }

    // The stream ended without etcd saying why: its connection dropped, the member lost its leader, our create timed
    // out (a cancelled call), or the call was already over when the create was written.
    private static bool IsLostStream(Exception e) => e switch
    {
        ObjectDisposedException => false,
        RpcException r => EtcdErrors.IsConnectionLoss(r) || r.StatusCode == StatusCode.Cancelled,
        OperationCanceledException or InvalidOperationException or IOException => true,
        _ => false,
    };

    // Creates the watch and waits for etcd to confirm it, at most the dial timeout: a member that does not answer
    // (frozen, or still connecting) gets no more, so the next attempt within the request timeout goes to another.
    private async Task OpenAsync()
    {
        _callCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _callCts.CancelAfter(connection.Options.DialTimeout);
        _call = connection.Watch.Watch(connection.Stream(_callCts.Token));
        await _call.RequestStream.WriteAsync(new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = _range.Key,
                RangeEnd = _range.RangeEnd,
                // From the last delivered revision itself (see the summary); etcd's 0 would mean "from now".
                StartRevision = Math.Max(_delivered, 1),
                PrevKv = true,
                ProgressNotify = true,
            },
        }).ConfigureAwait(false);
        if (!await _call.ResponseStream.MoveNext(_callCts.Token).ConfigureAwait(false))
            throw new RpcException(new Status(StatusCode.Unavailable, "etcd ended the watch stream before creating the watch"));
        _pending = _call.ResponseStream.Current;
        _callCts.CancelAfter(Timeout.InfiniteTimeSpan);
    }

    private List<WatchEvent> Accept(WatchResponse response)
    {
        if (response.CompactRevision != 0)
        {
            CloseCall();
            throw new CompactedRevisionException(_delivered + 1, response.CompactRevision);
        }
        if (response.Canceled)
        {
            CloseCall();
            throw new ClusterStoreException($"etcd cancelled the watch of '{prefix}': {response.CancelReason}");
        }
        var events = new List<WatchEvent>(response.Events.Count);
        long last = _delivered;
        foreach (var e in response.Events)
        {
            if (e.Kv.ModRevision <= _delivered)
                continue;
            events.Add(EtcdMessages.FromEtcd(e));
            last = Math.Max(last, e.Kv.ModRevision);
        }
        // etcd keeps a revision's events in one response, so a resumed watch never splits one.
        _delivered = last;
        if (response.Events.Count == 0 && !response.Created && response.Header is { } header)
        {
            // A progress notification: etcd has sent every event up to its header revision.
            _delivered = Math.Max(_delivered, header.Revision);
        }
        return events;
    }

    private void CloseCall()
    {
        _pending = null;
        _callCts?.Cancel();
        _call?.Dispose();
        _callCts?.Dispose();
        _call = null;
        _callCts = null;
    }

    public void Dispose() => CloseCall();
}
