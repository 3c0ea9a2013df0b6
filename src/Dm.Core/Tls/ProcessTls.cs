namespace Dm.Core.Tls;

/// <summary>A process's TLS as its services are given it: null when it has no TLS keys (plain http on every channel).</summary>
public sealed record ProcessTls(TlsIdentity? Identity)
{
    /// <summary>Loads the keys as <see cref="TlsIdentity.Load"/> does, for a server (dm-master, dm-worker).</summary>
    /// <exception cref="CommandLine.ProcessConfigException">keys that cannot be honoured, named.</exception>
    public static ProcessTls LoadServer(TlsSettings settings)
    {
        try
        {
            return new ProcessTls(TlsIdentity.Load(settings, server: true));
        }
        catch (TlsConfigException e)
        {
            throw new CommandLine.ProcessConfigException(e.Message);
        }
    }
}
