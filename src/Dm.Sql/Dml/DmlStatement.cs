namespace Dm.Sql.Dml;

/// <summary>SQL text with positional '?' placeholders, and the values for them in order.</summary>
public sealed record DmlStatement(string Sql, IReadOnlyList<object?> Parameters);

public enum InsertMode
{
    /// <summary>INSERT INTO.</summary>
    Insert,
    /// <summary>INSERT IGNORE INTO.</summary>
    InsertIgnore,
    /// <summary>REPLACE INTO (safe mode).</summary>
    Replace,
    /// <summary>INSERT INTO ... ON DUPLICATE KEY UPDATE every column.</summary>
    Upsert,
}
