using Dm.Core.Config.Yaml;

namespace Dm.Core.Config;

/// <summary>A database connection (task.yaml <c>target-database</c>, source.yaml <c>from</c>).</summary>
public sealed class DbConfig
{
    public string Host { get; set; } = "";
    public int Port { get; set; }
    public string User { get; set; } = "";
    /// <summary>Plaintext or DM-encrypted; never shown back to API users.</summary>
    public string Password { get; set; } = "";
    /// <summary>Deprecated in DM; kept so old files still decode.</summary>
    public int? MaxAllowedPacket { get; set; }
    /// <summary>Session variables set on every connection (e.g. foreign_key_checks).</summary>
    public Dictionary<string, string>? Session { get; set; }
    public SecurityConfig? Security { get; set; }

    /// <summary>Whether the session variables turn foreign_key_checks on (DM# otherwise applies data with it off).</summary>
    public bool ForeignKeyChecksOn =>
        Session?.FirstOrDefault(kv => kv.Key.Equals("foreign_key_checks", StringComparison.OrdinalIgnoreCase)).Value is "1" or "ON" or "on";

    public DbConfig Clone() => new()
    {
        Host = Host, Port = Port, User = User, Password = Password, MaxAllowedPacket = MaxAllowedPacket,
        Session = Session is null ? null : new Dictionary<string, string>(Session, StringComparer.Ordinal),
        Security = Security?.Clone(),
    };

    internal static DbConfig Read(YamlMap map)
    {
        var db = new DbConfig
        {
            Host = map.String("host") ?? "",
            Port = map.Int("port") ?? 0,
            User = map.String("user") ?? "",
            Password = map.String("password") ?? "",
            MaxAllowedPacket = map.Int("max-allowed-packet"),
            Session = map.StringMap("session"),
            Security = map.Map("security") is { } s ? SecurityConfig.Read(s) : null,
        };
        map.RejectUnknownKeys();
        return db;
    }

    internal YamlMapWriter Write()
    {
        var w = new YamlMapWriter().String("host", Host).Int("port", Port).String("user", User).String("password", Password);
        if (MaxAllowedPacket is { } packet)
            w.Int("max-allowed-packet", packet);
        else
            w.Null("max-allowed-packet");
        w.StringMap("session", Session);
        return w.Map("security", Security?.Write());
    }
}
