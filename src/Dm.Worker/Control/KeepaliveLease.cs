namespace Dm.Worker.Control;

/// <summary>
/// What a worker knows of its keepalive at the masters: when it was last renewed (a registration, or a heartbeat the master
/// answered, as of when it was sent) and for how long the master keeps it: the TTL of the last registration, the relay
/// keepalive TTL while the worker pulls a relay log (DM's relay-keepalive-ttl), else keepalive-ttl. A worker cut off from
/// every master (a master frozen or partitioned) is past <see cref="Lapsing"/> after two thirds of that TTL, before a
/// master may declare it offline and bind its source to another worker; it then stops its subtasks.
/// </summary>
public sealed class KeepaliveLease(TimeProvider time, TimeSpan ttl)
{
    private readonly Lock _gate = new();
    private long _renewedAt = time.GetTimestamp();
    private TimeSpan _ttl = ttl;

    /// <summary>The TTL the masters keep this worker's registration for.</summary>
    public TimeSpan Ttl { get { lock (_gate) return _ttl; } }

    /// <summary>How long the worker may go without a renewal before it stops its subtasks: two thirds of the TTL.</summary>
    public TimeSpan Limit => Ttl * 2 / 3;

    /// <summary>How long since the last renewal.</summary>
    public TimeSpan Silent { get { lock (_gate) return time.GetElapsedTime(_renewedAt); } }

    /// <summary>Whether the keepalive went unrenewed past <see cref="Limit"/>.</summary>
    public bool Lapsing => Silent > Limit;

    /// <summary>The current timestamp, to pass to <see cref="Renewed"/> for a request sent now.</summary>
    public long Now => time.GetTimestamp();

    /// <summary>A registration with <paramref name="registeredTtl"/> was accepted (just now).</summary>
    public void Registered(TimeSpan registeredTtl)
    {
        lock (_gate)
        {
            _ttl = registeredTtl;
            _renewedAt = time.GetTimestamp();
        }
    }

    /// <summary>A heartbeat sent at <paramref name="sentAt"/> (<see cref="Now"/>) was answered: the TTL counts from no later.</summary>
    public void Renewed(long sentAt)
    {
        lock (_gate)
            _renewedAt = Math.Max(_renewedAt, sentAt);
    }
}
