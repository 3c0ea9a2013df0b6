namespace Dm.Core.Tls;

/// <summary>TLS keys that cannot be honoured (a file missing or unreadable, a key that does not match its certificate...).</summary>
public sealed class TlsConfigException(string message, Exception? inner = null) : Exception(message, inner);
