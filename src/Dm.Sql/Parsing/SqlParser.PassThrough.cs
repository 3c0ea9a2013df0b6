using Dm.Sql.Ast;
using Dm.Sql.Lexing;

namespace Dm.Sql.Parsing;

/// <summary>
/// Statements replication recognises by their leading words and carries as text. Anything not
/// recognised here is reported as unsupported, never silently dropped.
/// </summary>
public sealed partial class SqlParser
{
    private Statement ParsePassThrough(Token first)
    {
        if (first.Kind == TokenKind.Symbol && first.IsSymbol("(")) return PassThroughStatementFrom(first, PassThroughKind.Query);
        if (first.Kind != TokenKind.Word) throw Error("not a statement", SqlErrorKind.Syntax, first);
        var word = first.Canonical ?? first.Text(_s).ToUpperInvariant();
        var kind = word switch
        {
            "BEGIN" => IsAt(1, "NOT") ? PassThroughKind.Routine : PassThroughKind.Transaction,
            "START" or "COMMIT" or "ROLLBACK" or "SAVEPOINT" or "RELEASE" or "XA" => PassThroughKind.Transaction,
            "GRANT" or "REVOKE" => PassThroughKind.Account,
            "SET" => IsAt(1, "PASSWORD") || IsAt(1, "ROLE") || (IsAt(1, "DEFAULT") && IsAt(2, "ROLE")) ? PassThroughKind.Account : PassThroughKind.Set,
            "FLUSH" => PassThroughKind.Flush,
            "ANALYZE" or "OPTIMIZE" or "REPAIR" or "CHECK" or "CHECKSUM" => PassThroughKind.TableMaintenance,
            "INSERT" or "UPDATE" or "DELETE" or "REPLACE" or "LOAD" or "CALL" or "DO" => PassThroughKind.Dml,
            "SELECT" or "WITH" or "SHOW" or "DESCRIBE" or "DESC" or "EXPLAIN" or "VALUES" or "TABLE" => PassThroughKind.Query,
            "LOCK" or "UNLOCK" => PassThroughKind.Lock,
            "INSTALL" or "UNINSTALL" or "PURGE" or "RESET" or "KILL" or "HANDLER" or "PREPARE" or "EXECUTE" or "DEALLOCATE"
                or "CACHE" or "SHUTDOWN" or "BINLOG" or "HELP" or "CHANGE" or "STOP" or "BACKUP" or "SIGNAL" or "RESIGNAL"
                or "GET" or "CHECKPOINT" => PassThroughKind.Other,
            _ => throw Error($"unknown statement '{first.Text(_s)}'", SqlErrorKind.Unsupported, first),
        };
        if (kind == PassThroughKind.Routine) return PassThroughToEnd(first, kind);
        return PassThroughStatementFrom(first, kind);
    }

    /// <summary>Consumes to the next top-level ';' and keeps the original text (comments included).</summary>
    private Statement PassThroughStatementFrom(Token first, PassThroughKind kind)
    {
        return PassThroughUpTo(first, kind, StatementEnd(_t, _s, _statementStart));
    }

    /// <summary>Routines, triggers and events have bodies with ';' inside: BEGIN ... END blocks are kept whole.</summary>
    private Statement PassThroughToEnd(Token first, PassThroughKind kind) => PassThroughStatementFrom(first, kind);

    private Statement PassThroughUpTo(Token first, PassThroughKind kind, int end)
    {
        _i = end;
        return new PassThroughStatement(kind, StatementText(_t, _s, _statementStart, end));
    }
}
