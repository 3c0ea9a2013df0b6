namespace Dm.Sql.Ast;

/// <summary>
/// A column type as written: upper-case name (multi-word names joined by one space), optional
/// length/precision and scale, ENUM/SET values, and the attributes that belong to the type.
/// </summary>
public sealed record DataType(
    string Name,
    int? Length = null,
    int? Scale = null,
    SqlList<string>? Values = null,
    bool Unsigned = false,
    bool Signed = false,
    bool Zerofill = false,
    bool Binary = false,
    string? Charset = null,
    string? Collation = null)
{
    public bool IsString => Name is "CHAR" or "VARCHAR" or "TINYTEXT" or "TEXT" or "MEDIUMTEXT" or "LONGTEXT" or "ENUM" or "SET"
        or "NCHAR" or "NVARCHAR" or "NATIONAL CHAR" or "NATIONAL VARCHAR" or "CHARACTER" or "CHARACTER VARYING" or "CHAR VARYING"
        or "VARCHARACTER" or "LONG" or "LONG VARCHAR" or "NATIONAL CHARACTER" or "NATIONAL CHARACTER VARYING" or "NCHAR VARCHAR"
        or "NCHAR VARYING" or "NATIONAL CHAR VARYING" or "JSON";
}
