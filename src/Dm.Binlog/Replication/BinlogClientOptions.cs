using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Dm.Binlog.Gtid;

namespace Dm.Binlog.Replication;

/// <summary>How to connect as a replica and where to start reading the binlog.</summary>
public sealed record BinlogClientOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 3306;
    public string User { get; init; } = "root";
    public string Password { get; init; } = "";

    /// <summary>Our replica server id; must differ from the source's and from every other replica's.</summary>
    public uint ServerId { get; init; } = 1001;

    /// <summary>Start by file and position (<c>COM_BINLOG_DUMP</c>); with neither this nor <see cref="StartGtid"/>, the oldest binlog file.</summary>
    public BinlogPosition? StartPosition { get; init; }

    /// <summary>
    /// Without <see cref="StartPosition"/>: start after these GTIDs, by the set's flavor (MariaDB <c>@slave_connect_state</c>,
    /// MySQL <c>COM_BINLOG_DUMP_GTID</c>). With it: the GTIDs executed up to that position (a checkpoint's), so that
    /// <see cref="BinlogClient.ExecutedGtid"/> goes on from them instead of from nothing.
    /// </summary>
    public GtidSet? StartGtid { get; init; }

    /// <summary>Heartbeat period asked of the source; zero turns heartbeats off.</summary>
    public TimeSpan HeartbeatPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Ask the source to send CRC32 checksums (verified on every event) when its binlog has them.</summary>
    public bool VerifyChecksum { get; init; } = true;

    public TlsMode Tls { get; init; } = TlsMode.Preferred;

    /// <summary>Certificate check for TLS; null accepts any certificate (encryption without server identity).</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    /// <summary>A client certificate (with its private key) presented in the TLS handshake, for a user that requires X509.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// Allow sending the password RSA-encrypted with a public key fetched from the server (caching_sha2 full authentication
    /// without TLS). Off by default, as in MySQL's drivers: a key fetched over plain TCP is not authenticated, so whoever is
    /// in the middle can hand out its own and read the password.
    /// </summary>
    public bool AllowPublicKeyRetrieval { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Ask a MariaDB source for ANNOTATE_ROWS events (the statement behind each rows event), as its binlog files hold them.</summary>
    public bool SendAnnotateRows { get; init; } = true;

    /// <summary>Stop at the end of the binlog instead of waiting for new events (<c>BINLOG_DUMP_NON_BLOCK</c>).</summary>
    public bool StopAtEnd { get; init; }
}

public enum TlsMode
{
    /// <summary>Never use TLS.</summary>
    Disabled,
    /// <summary>Use TLS when the server offers it.</summary>
    Preferred,
    /// <summary>Fail when the server does not offer TLS.</summary>
    Required,
}
