namespace Dm.Sql.Ast;

/// <summary>A CREATE/ALTER DATABASE option: CHARACTER SET, COLLATE, COMMENT, ENCRYPTION, READ ONLY.</summary>
public sealed record DatabaseOption(string Name, string Value, bool IsString);

public sealed record CreateDatabaseStatement(string Name, bool OrReplace, bool IfNotExists, SqlList<DatabaseOption> Options) : Statement;

/// <summary>ALTER DATABASE [name] options; a null name means the current database.</summary>
public sealed record AlterDatabaseStatement(string? Name, SqlList<DatabaseOption> Options) : Statement;

public sealed record DropDatabaseStatement(string Name, bool IfExists) : Statement;
