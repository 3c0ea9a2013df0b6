namespace Dm.Sql.Ast;

/// <summary>Any parsed statement.</summary>
public abstract record Statement;

/// <summary>
/// A statement replication recognises but does not model (transaction control, accounts, routines,
/// triggers, events, SET, FLUSH, maintenance, DML...): its kind and its original text.
/// </summary>
public sealed record PassThroughStatement(PassThroughKind Kind, string Text) : Statement;

public enum PassThroughKind
{
    Transaction,
    Account,
    Trigger,
    Routine,
    Event,
    Set,
    Flush,
    TableMaintenance,
    Dml,
    Query,
    Use,
    Lock,
    Other,
}

/// <summary>USE db.</summary>
public sealed record UseStatement(string Database) : Statement;
