namespace Dm.Core.Api;

/// <summary>
/// Secrets never leave the master in clear: GET responses show "******" (DM's ObfuscatedPasswordForFeedback) for passwords and
/// for TLS private keys (<c>ssl_key_content</c>).
/// </summary>
public static class PasswordMask
{
    public const string Obfuscated = "******";

    public static DmTask Hide(DmTask task) => task with
    {
        TargetConfig = task.TargetConfig with { Password = Obfuscated, Security = HideKey(task.TargetConfig.Security) },
        SourceConfig = task.SourceConfig.FullMigrateConf is { Security: not null } full
            ? task.SourceConfig with { FullMigrateConf = full with { Security = HideKey(full.Security) } }
            : task.SourceConfig,
        TaskConfigFile = task.TaskConfigFile is { } file ? Config.DmTaskFile.HidePassword(file) : null,
    };

    public static Source Hide(Source source) => source with { Password = Obfuscated, Security = HideKey(source.Security) };

    /// <summary>The TLS settings with the private key masked (when there is one).</summary>
    public static Security? HideKey(Security? security) =>
        security is { SslKeyContent.Length: > 0 } ? security with { SslKeyContent = Obfuscated } : security;
}
