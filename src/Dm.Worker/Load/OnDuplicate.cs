using Dm.Core.Errors;

namespace Dm.Worker.Load;

/// <summary>DM's <c>on-duplicate-logical</c>: what an existing row with the same key means.</summary>
public static class OnDuplicate
{
    /// <summary>The statement verb put before each dumped INSERT body.</summary>
    public static string Verb(string mode) => mode switch
    {
        "" or "replace" => "REPLACE INTO ",
        "ignore" => "INSERT IGNORE INTO ",
        "error" => "INSERT INTO ",
        _ => throw DmErrors.ErrConfigLoaderDirInvalid.New($"on-duplicate-logical '{mode}' (replace, ignore, error)"),
    };
}
