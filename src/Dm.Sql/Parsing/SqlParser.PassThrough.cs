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

    /// <summary>Consumes to the next top-level ';' and keeps the original text.</summary>
    private Statement PassThroughStatementFrom(Token first, PassThroughKind kind)
    {
        var depth = 0;
        var last = first;
        while (Cur.Kind != TokenKind.End)
        {
            if (Cur.Kind == TokenKind.Symbol)
            {
                if (IsSym("(")) depth++;
                else if (IsSym(")")) depth--;
                else if (depth <= 0 && IsSym(";")) break;
            }
            last = Cur;
            Advance();
        }
        return new PassThroughStatement(kind, _s[first.Start..last.End]);
    }

    /// <summary>Routines, triggers and events have bodies with ';' inside: they run to the end of the text.</summary>
    private Statement PassThroughToEnd(Token first, PassThroughKind kind)
    {
        var last = first;
        while (Cur.Kind != TokenKind.End)
        {
            last = Cur;
            Advance();
        }
        return new PassThroughStatement(kind, _s[first.Start..last.End].TrimEnd(';', ' ', '\n', '\r', '\t'));
    }
}
