namespace Dm.Core.Rules;

/// <summary>DM's binlog event type names (pkg/binlog-filter) and their classification.</summary>
public static class BinlogEventTypes
{
    public const string All = "all";
    public const string AllDdl = "all ddl";
    public const string AllDml = "all dml";
    public const string None = "none";
    public const string NoneDdl = "none ddl";
    public const string NoneDml = "none dml";
    public const string Insert = "insert";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string IncompatibleDdlChanges = "incompatible ddl changes";
    /// <summary>The event type of a statement DM cannot classify: only sql-pattern applies.</summary>
    public const string Null = "";

    private static readonly HashSet<string> Dml = [Insert, Update, Delete];

    private static readonly HashSet<string> Ddl =
    [
        "create database", "alter database", "alter schema", "create table", "create index", "create view",
        "drop view", "alter table", "create schema", "add table partition",
    ];

    private static readonly HashSet<string> IncompatibleDdl =
    [
        "value range decrease", "precision decrease", "modify column", "rename column", "rename index", "drop column",
        "drop primary key", "drop unique key", "modify default value", "modify constraint", "modify columns order",
        "modify charset", "modify collation", "remove auto increment", "modify storage engine",
        "reorganize table partition", "rebuild table partition", "coalesce table partition", "split table partition",
        "exchange table partition", "add foreign key", "drop foreign key", "drop database", "drop table", "drop index",
        "rename table", "truncate table", "drop schema", "drop table partition", "truncate table partition",
        "modify schema charset and collate", "modify table charset and collate", "modify table comment",
        "recover table", "alter table partitioning", "remove table partitioning", "add column", "set default value",
        "rebase auto id", "add primary key", "alter index visibility", "alter ttl info", "alter ttl remove",
        "multi schema change",
    ];

    private static readonly HashSet<string> Groups = [All, AllDdl, AllDml, None, NoneDdl, NoneDml, IncompatibleDdlChanges];

    /// <summary>Lower-cases a rule's event name and maps the schema aliases to their database names, as DM does.</summary>
    public static string Normalize(string name)
    {
        var lowered = name.ToLowerInvariant();
        return lowered switch
        {
            "create schema" => "create database",
            "drop schema" => "drop database",
            "alter schema" => "alter database",
            _ => lowered,
        };
    }

    /// <summary>True for a name allowed in a rule's <c>events</c> (lower-cased).</summary>
    public static bool IsValidRuleEvent(string name) =>
        Groups.Contains(name) || Dml.Contains(name) || Ddl.Contains(name) || IncompatibleDdl.Contains(name);

    /// <summary>dml, ddl, incompatible ddl, or null for <see cref="Null"/>; unknown names throw.</summary>
    public static EventClass Classify(string eventType)
    {
        if (Dml.Contains(eventType))
            return EventClass.Dml;
        if (Ddl.Contains(eventType))
            return EventClass.Ddl;
        if (IncompatibleDdl.Contains(eventType))
            return EventClass.IncompatibleDdl;
        if (eventType == Null)
            return EventClass.Null;
        throw new ArgumentException($"event type {eventType} not valid");
    }
}

public enum EventClass
{
    Null,
    Dml,
    Ddl,
    IncompatibleDdl,
}
