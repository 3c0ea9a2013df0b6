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
    /// <summary>
    /// Deprecated in DM, which ignores it (its driver reads the server's max_allowed_packet on each connection); DM# does the
    /// same (MySqlConnector follows the server's value) and warns where a file that sets it is read.
    /// </summary>
    public int? MaxAllowedPacket { get; set; }
    /// <summary>Session variables set on every connection to this database (e.g. sql_mode, foreign_key_checks); see
    /// <see cref="SessionVariables"/> for what is accepted.</summary>
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
        if (SessionVariables.Problem(db.Session) is { } problem)
            throw map.ValueError("session", problem);
        return db;
    }

    /// <summary>The warning to show when <see cref="MaxAllowedPacket"/> is set, or null; <paramref name="where"/> names the
    /// section (<c>from</c>, <c>target-database</c>).</summary>
    public string? MaxAllowedPacketWarning(string where) => MaxAllowedPacket is null ? null :
        $"{where}.max-allowed-packet is deprecated and ignored, as in DM: the packet size is the server's max_allowed_packet";

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
