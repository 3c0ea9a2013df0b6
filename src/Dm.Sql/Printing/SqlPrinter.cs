using System.Globalization;
using System.Text;
using Dm.Sql.Ast;

namespace Dm.Sql.Printing;

/// <summary>
/// AST → SQL text both MySQL and MariaDB accept: keywords upper case, every identifier backtick-quoted,
/// strings escaped by <see cref="Quoting"/>, names passed through an optional <see cref="NameMapper"/>.
/// </summary>
public sealed partial class SqlPrinter
{
    private readonly StringBuilder _sb = new(256);
    private readonly NameMapper _names;

    private SqlPrinter(NameMapper? names) => _names = names ?? NameMapper.Identity;

    public static string Print(Statement statement, NameMapper? names = null)
    {
        var printer = new SqlPrinter(names);
        printer.Statement(statement);
        return printer._sb.ToString();
    }

    private void Statement(Statement statement)
    {
        switch (statement)
        {
            case CreateTableStatement s: CreateTable(s); break;
            case AlterTableStatement s: AlterTable(s); break;
            case DropTableStatement s: DropTable(s); break;
            case RenameTableStatement s: RenameTable(s); break;
            case TruncateTableStatement s: W("TRUNCATE TABLE "); Table(s.Table); break;
            case CreateIndexStatement s: CreateIndex(s); break;
            case DropIndexStatement s: DropIndex(s); break;
            case CreateDatabaseStatement s: CreateDatabase(s); break;
            case AlterDatabaseStatement s: AlterDatabase(s); break;
            case DropDatabaseStatement s:
                W("DROP DATABASE ");
                if (s.IfExists) W("IF EXISTS ");
                Id(_names.MapSchema(s.Name));
                break;
            case CreateViewStatement s: CreateView(s); break;
            case DropViewStatement s: DropView(s); break;
            case SequenceStatement s: Sequence(s); break;
            case UseStatement s: W("USE "); Id(_names.MapSchema(s.Database)); break;
            case PassThroughStatement s: W(s.Text); break;
            default: throw new ArgumentException($"cannot print {statement.GetType().Name}", nameof(statement));
        }
    }

    // ---- primitives ----

    private void W(string text) => _sb.Append(text);

    private void Id(string name) => Quoting.AppendIdentifier(_sb, name);

    private void Str(string value) => Quoting.AppendStringLiteral(_sb, value);

    private void Int(int value) => _sb.Append(value.ToString(CultureInfo.InvariantCulture));

    private void Table(TableName name)
    {
        var mapped = _names.MapTable(name);
        if (mapped.Schema != null)
        {
            Id(mapped.Schema);
            _sb.Append('.');
        }
        Id(mapped.Name);
    }

    private void Tables(IEnumerable<TableName> names)
    {
        var first = true;
        foreach (var name in names)
        {
            if (!first) W(", ");
            first = false;
            Table(name);
        }
    }

    private void IdList(IEnumerable<string> names)
    {
        var first = true;
        foreach (var name in names)
        {
            if (!first) W(", ");
            first = false;
            Id(name);
        }
    }

    /// <summary>Charset/collation names are printed bare when they are plain words, quoted otherwise.</summary>
    private void CharsetName(string name)
    {
        if (name == "DEFAULT") { W("DEFAULT"); return; }
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                Str(name);
                return;
            }
        }
        W(name);
    }

    private void Option(TableOption option)
    {
        switch (option.Name)
        {
            case "WITH SYSTEM VERSIONING" or "START TRANSACTION":
                W(option.Name);
                return;
            case "UNION":
                W("UNION = (");
                Tables(option.Tables ?? SqlList<TableName>.Empty);
                W(")");
                return;
            case "CHARACTER SET":
                W("DEFAULT CHARSET=");
                CharsetName(option.Value);
                return;
            case "COLLATE":
                W("COLLATE=");
                CharsetName(option.Value);
                return;
            case "STORAGE":
                W("STORAGE ");
                W(option.Value);
                return;
        }
        W(option.Name);
        W(option.Name == "TABLESPACE" ? " " : "=");
        if (option.IsString) Str(option.Value);
        else if (option.Name == "TABLESPACE") Id(option.Value);
        else if (IsBareValue(option.Value)) W(option.Value);
        else Id(option.Value);
    }

    private static bool IsBareValue(string value)
    {
        if (value.Length == 0) return false;
        foreach (var c in value)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-' or '+')) return false;
        return true;
    }

    private void Options(SqlList<TableOption> options)
    {
        for (var i = 0; i < options.Count; i++)
        {
            if (i > 0) W(" ");
            Option(options[i]);
        }
    }

    /// <summary>A query's text with its table references passed through the rename hook.</summary>
    private void Query(SqlQuery query)
    {
        if (ReferenceEquals(_names, NameMapper.Identity) || query.Tables.Count == 0)
        {
            W(query.Text);
            return;
        }
        var at = 0;
        foreach (var reference in query.Tables)
        {
            _sb.Append(query.Text, at, reference.Start - at);
            Table(reference.Name);
            at = reference.Start + reference.Length;
        }
        _sb.Append(query.Text, at, query.Text.Length - at);
    }

    // ---- databases ----

    private void CreateDatabase(CreateDatabaseStatement s)
    {
        W(s.OrReplace ? "CREATE OR REPLACE DATABASE " : "CREATE DATABASE ");
        if (s.IfNotExists) W("IF NOT EXISTS ");
        Id(_names.MapSchema(s.Name));
        DatabaseOptions(s.Options);
    }

    private void AlterDatabase(AlterDatabaseStatement s)
    {
        W("ALTER DATABASE");
        if (s.Name != null)
        {
            W(" ");
            Id(_names.MapSchema(s.Name));
        }
        DatabaseOptions(s.Options);
    }

    private void DatabaseOptions(SqlList<DatabaseOption> options)
    {
        foreach (var option in options)
        {
            W(" ");
            W(option.Name);
            if (option.Name == "UPGRADE DATA DIRECTORY NAME") continue;
            W(" ");
            if (option.IsString) Str(option.Value);
            else if (option.Name is "CHARACTER SET" or "COLLATE") CharsetName(option.Value);
            else W(option.Value);
        }
    }

    // ---- simple table statements ----

    private void DropTable(DropTableStatement s)
    {
        W(s.Temporary ? "DROP TEMPORARY TABLE " : "DROP TABLE ");
        if (s.IfExists) W("IF EXISTS ");
        Tables(s.Tables);
        if (s.Behavior != null) { W(" "); W(s.Behavior); }
    }

    private void RenameTable(RenameTableStatement s)
    {
        W("RENAME TABLE ");
        if (s.IfExists) W("IF EXISTS ");
        for (var i = 0; i < s.Pairs.Count; i++)
        {
            if (i > 0) W(", ");
            Table(s.Pairs[i].From);
            W(" TO ");
            Table(s.Pairs[i].To);
        }
    }

    private void CreateIndex(CreateIndexStatement s)
    {
        W(s.OrReplace ? "CREATE OR REPLACE " : "CREATE ");
        W(s.Index.Kind switch
        {
            IndexKind.Unique => "UNIQUE INDEX ",
            IndexKind.Fulltext => "FULLTEXT INDEX ",
            IndexKind.Spatial => "SPATIAL INDEX ",
            _ => "INDEX ",
        });
        if (s.IfNotExists) W("IF NOT EXISTS ");
        Id(s.Index.Name ?? "");
        W(" ON ");
        Table(s.Table);
        W(" ");
        KeyParts(s.Index.Parts);
        IndexOptions(s.Index.Options);
        if (s.Algorithm != null) { W(" ALGORITHM = "); W(s.Algorithm); }
        if (s.Lock != null) { W(" LOCK = "); W(s.Lock); }
    }

    private void DropIndex(DropIndexStatement s)
    {
        W("DROP INDEX ");
        if (s.IfExists) W("IF EXISTS ");
        Id(s.Name);
        W(" ON ");
        Table(s.Table);
        if (s.Algorithm != null) { W(" ALGORITHM = "); W(s.Algorithm); }
        if (s.Lock != null) { W(" LOCK = "); W(s.Lock); }
    }

    // ---- views and sequences ----

    private void CreateView(CreateViewStatement s)
    {
        W(s.IsAlter ? "ALTER" : s.OrReplace ? "CREATE OR REPLACE" : "CREATE");
        if (s.Algorithm != null) { W(" ALGORITHM = "); W(s.Algorithm); }
        if (s.Definer != null) { W(" DEFINER = "); W(s.Definer); }
        if (s.SqlSecurity != null) { W(" SQL SECURITY "); W(s.SqlSecurity); }
        W(" VIEW ");
        if (s.IfNotExists) W("IF NOT EXISTS ");
        Table(s.View);
        if (s.Columns.Count > 0)
        {
            W(" (");
            IdList(s.Columns);
            W(")");
        }
        W(" AS ");
        Query(s.Query);
        if (s.CheckOption != null)
        {
            W(" WITH ");
            if (s.CheckOption.Length > 0) { W(s.CheckOption); W(" "); }
            W("CHECK OPTION");
        }
    }

    private void DropView(DropViewStatement s)
    {
        W("DROP VIEW ");
        if (s.IfExists) W("IF EXISTS ");
        Tables(s.Views);
        if (s.Behavior != null) { W(" "); W(s.Behavior); }
    }

    private void Sequence(SequenceStatement s)
    {
        W(s.Action switch { SequenceAction.Create => "CREATE ", SequenceAction.Alter => "ALTER ", _ => "DROP " });
        if (s.OrReplace) W("OR REPLACE ");
        if (s.Temporary) W("TEMPORARY ");
        W("SEQUENCE ");
        if (s.IfNotExists) W("IF NOT EXISTS ");
        if (s.IfExists) W("IF EXISTS ");
        Tables(s.Names);
        if (s.Options != null) { W(" "); W(s.Options.Text); }
    }
}
