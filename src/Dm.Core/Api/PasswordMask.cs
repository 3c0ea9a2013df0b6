namespace Dm.Core.Api;

/// <summary>Passwords never leave the master in clear: GET responses show "******" (DM's ObfuscatedPasswordForFeedback).</summary>
public static class PasswordMask
{
    public const string Obfuscated = "******";

    public static DmTask Hide(DmTask task) => task with
    {
        TargetConfig = task.TargetConfig with { Password = Obfuscated },
        TaskConfigFile = task.TaskConfigFile is { } file ? Config.DmTaskFile.HidePassword(file) : null,
    };

    public static Source Hide(Source source) => source with { Password = Obfuscated };
}
