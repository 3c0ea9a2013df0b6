using Dm.Core.Api;

namespace Dm.Core.Config;

/// <summary>OpenAPI Source ↔ source config, as DM's source_converter.go.</summary>
public static class SourceConverter
{
    /// <summary>What GET responses show instead of a password.</summary>
    public const string ObfuscatedPassword = PasswordMask.Obfuscated;

    /// <summary>A source config with DM's defaults, overlaid with what the API body gives.</summary>
    public static SourceConfig ToSourceConfig(Source source)
    {
        var cfg = new SourceConfig
        {
            From = new DbConfig
            {
                Host = source.Host,
                Port = source.Port,
                User = source.User,
                Password = source.Password ?? "",
                Security = source.Security is { } s
                    ? new SecurityConfig
                    {
                        SslCaBytes = s.SslCaContent,
                        SslKeyBytes = s.SslKeyContent,
                        SslCertBytes = s.SslCertContent,
                        CertAllowedCn = s.CertAllowedCn is null ? [] : [.. s.CertAllowedCn],
                    }
                    : null,
            },
            Flavor = source.Flavor ?? "",
            Enable = source.Enable,
            EnableGtid = source.EnableGtid,
            SourceId = source.SourceName,
        };
        if (source.Purge is { } purge)
        {
            cfg.Purge = new PurgeConfig
            {
                Expires = purge.Expires ?? cfg.Purge.Expires,
                Interval = purge.Interval ?? cfg.Purge.Interval,
                RemainSpace = purge.RemainSpace ?? cfg.Purge.RemainSpace,
            };
        }
        if (source.RelayConfig is { } relay)
        {
            cfg.EnableRelay = relay.EnableRelay ?? cfg.EnableRelay;
            cfg.RelayBinlogGtid = relay.RelayBinlogGtid ?? cfg.RelayBinlogGtid;
            cfg.RelayBinlogName = relay.RelayBinlogName ?? cfg.RelayBinlogName;
            cfg.RelayDir = relay.RelayDir ?? cfg.RelayDir;
        }
        return cfg;
    }

    /// <summary>
    /// Refuses a source.yaml key the OpenAPI Source cannot carry to the master: <c>from.session</c> (DM sets these session
    /// variables on its upstream connections; DM#'s Source has no field for them, so the source is refused rather than created
    /// without them). 20003 naming the key and the file.
    /// </summary>
    public static void RefuseUncarried(SourceConfig cfg, string file)
    {
        if (cfg.From.Session is { Count: > 0 } session)
            throw Errors.DmErrors.ErrConfigYamlTransform.New(
                $"{file}: from.session ({string.Join(", ", session.Keys)}) is not supported by DM#: the OpenAPI source has no field " +
                "for upstream session variables, so they would not be set; remove from.session");
    }

    /// <summary>
    /// The API view of a source: password always "******" (DM never returns it), TLS contents never
    /// returned (only cert_allowed_cn), purge and relay settings always present.
    /// </summary>
    public static Source ToApiSource(SourceConfig cfg) => new()
    {
        Enable = cfg.Enable,
        EnableGtid = cfg.EnableGtid,
        Host = cfg.From.Host,
        Password = ObfuscatedPassword,
        Port = cfg.From.Port,
        SourceName = cfg.SourceId,
        User = cfg.From.User,
        Purge = new Purge { Expires = cfg.Purge.Expires, Interval = cfg.Purge.Interval, RemainSpace = cfg.Purge.RemainSpace },
        RelayConfig = new RelayConfig
        {
            EnableRelay = cfg.EnableRelay,
            RelayBinlogGtid = cfg.RelayBinlogGtid,
            RelayBinlogName = cfg.RelayBinlogName,
            RelayDir = cfg.RelayDir,
        },
        Flavor = cfg.Flavor.Length > 0 ? cfg.Flavor : null,
        Security = cfg.From.Security is { } s
            ? new Security { CertAllowedCn = [.. s.CertAllowedCn], SslCaContent = "", SslCertContent = "", SslKeyContent = "" }
            : null,
    };
}
