using Dm.Sql.Ast;
using Dm.Sql.Parsing;

namespace Dm.Sql.Tracking;

/// <summary>
/// In-memory catalog of databases and tables kept current by applying DDL (parsed statements, or
/// CREATE TABLE text from SHOW CREATE TABLE). Answers a table's columns and keys, can be serialised
/// for checkpoints and restored, and lets a table be replaced or removed. Database and table names
/// are case-sensitive (lower_case_table_names=0); column and index names are not. Not thread-safe:
/// one tracker per replication stream.
/// </summary>
public sealed class SchemaTracker
{
    private readonly Dictionary<string, TrackedDatabase> _databases = new(StringComparer.Ordinal);

    internal sealed class TrackedDatabase(string name)
    {
        public string Name { get; } = name;
        public string? Charset { get; set; }
        public string? Collation { get; set; }
        public Dictionary<string, TrackedTable> Tables { get; } = new(StringComparer.Ordinal);
    }

    internal sealed class TrackedTable(CreateTableStatement definition)
    {
        public CreateTableStatement Definition { get; } = definition;
        public TableInfo? Info { get; set; }
    }

    internal IEnumerable<TrackedDatabase> AllDatabases => _databases.Values;

    public IReadOnlyList<string> Databases => _databases.Keys.Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<string> Tables(string schema) =>
        _databases.TryGetValue(schema, out var db) ? db.Tables.Keys.Order(StringComparer.Ordinal).ToList() : [];

    public bool HasDatabase(string schema) => _databases.ContainsKey(schema);

    /// <summary>The table's structure, or null when the tracker does not know it.</summary>
    public TableInfo? GetTable(string schema, string table)
    {
        if (!_databases.TryGetValue(schema, out var db) || !db.Tables.TryGetValue(table, out var tracked)) return null;
        return tracked.Info ??= TableInfoBuilder.Build(schema, table, tracked.Definition, db.Charset, db.Collation);
    }

    /// <summary>Parses and applies every statement of <paramref name="sql"/>; <paramref name="currentSchema"/> qualifies bare names.</summary>
    public void Execute(string sql, string? currentSchema)
    {
        foreach (var statement in SqlParser.ParseAll(sql)) Apply(statement, currentSchema);
    }

    /// <summary>Loads (or replaces) a table from CREATE TABLE text, e.g. the output of SHOW CREATE TABLE.</summary>
    public void SetTable(string schema, string createTableSql)
    {
        if (SqlParser.Parse(createTableSql) is not CreateTableStatement create)
            throw new SchemaTrackerException("expected a CREATE TABLE statement");
        var database = Database(schema);
        StoreTable(database, create.Table.Name, create);
    }

    /// <summary>Removes a table; returns whether it was known.</summary>
    public bool RemoveTable(string schema, string table) =>
        _databases.TryGetValue(schema, out var db) && db.Tables.Remove(table);

    public void CreateDatabase(string schema, string? charset = null, string? collation = null)
    {
        var db = Database(schema);
        db.Charset = charset ?? db.Charset;
        db.Collation = collation ?? db.Collation;
    }

    /// <summary>Applies one statement. Statements that do not change structure are ignored.</summary>
    public void Apply(Statement statement, string? currentSchema)
    {
        switch (statement)
        {
            case CreateDatabaseStatement s:
                if (s.OrReplace) _databases.Remove(s.Name);
                if (_databases.ContainsKey(s.Name) && s.IfNotExists) return;
                var created = Database(s.Name);
                SetDatabaseOptions(created, s.Options);
                break;
            case AlterDatabaseStatement s:
                SetDatabaseOptions(Database(s.Name ?? currentSchema ?? throw NoSchema()), s.Options);
                break;
            case DropDatabaseStatement s:
                _databases.Remove(s.Name);
                break;
            case CreateTableStatement s:
                CreateTable(s, currentSchema);
                break;
            case AlterTableStatement s:
                AlterTable(s, currentSchema);
                break;
            case DropTableStatement s:
                foreach (var table in s.Tables)
                {
                    var (schema, name) = Qualify(table, currentSchema);
                    RemoveTable(schema, name);
                }
                break;
            case RenameTableStatement s:
                foreach (var pair in s.Pairs) Rename(pair.From, pair.To, currentSchema, s.IfExists);
                break;
            case CreateIndexStatement s:
                if (s.OrReplace)
                    AlterTable(new AlterTableStatement(s.Table, false, false, false,
                        SqlList.Of<AlterSpec>(new DropIndexSpec(s.Index.Name ?? "", true)), null), currentSchema);
                AlterTable(new AlterTableStatement(s.Table, false, false, false,
                    SqlList.Of<AlterSpec>(new AddConstraintSpec(s.Index with { IfNotExists = s.IfNotExists })), null), currentSchema);
                break;
            case DropIndexStatement s:
                AlterTable(new AlterTableStatement(s.Table, false, false, false,
                    SqlList.Of<AlterSpec>(new DropIndexSpec(s.Name, s.IfExists)), null), currentSchema);
                break;
        }
    }

    private static SchemaTrackerException NoSchema() => new("no database selected for an unqualified name");

    private static (string Schema, string Name) Qualify(TableName table, string? currentSchema) =>
        (table.Schema ?? currentSchema ?? throw NoSchema(), table.Name);

    private TrackedDatabase Database(string schema)
    {
        if (!_databases.TryGetValue(schema, out var db)) _databases[schema] = db = new TrackedDatabase(schema);
        return db;
    }

    private static void SetDatabaseOptions(TrackedDatabase db, SqlList<DatabaseOption> options)
    {
        foreach (var option in options)
        {
            if (option.Name == "CHARACTER SET")
            {
                db.Charset = option.Value;
                if (db.Collation != null && TableInfoBuilder.CharsetOfCollation(db.Collation) != option.Value) db.Collation = null;
            }
            else if (option.Name == "COLLATE")
            {
                db.Collation = option.Value;
                db.Charset = TableInfoBuilder.CharsetOfCollation(option.Value) ?? db.Charset;
            }
        }
    }

    private void CreateTable(CreateTableStatement s, string? currentSchema)
    {
        var (schema, name) = Qualify(s.Table, currentSchema);
        var database = Database(schema);
        if (database.Tables.ContainsKey(name) && s.IfNotExists && !s.OrReplace) return;
        if (s.Like != null)
        {
            var (likeSchema, likeName) = Qualify(s.Like, currentSchema);
            if (!_databases.TryGetValue(likeSchema, out var likeDb) || !likeDb.Tables.TryGetValue(likeName, out var source))
                throw new SchemaTrackerException($"CREATE TABLE ... LIKE: unknown table {likeSchema}.{likeName}");
            StoreTable(database, name, source.Definition);
            return;
        }
        if (s.Select != null)
            throw new SchemaTrackerException($"CREATE TABLE {schema}.{name} ... SELECT: columns come from the query; load the table with SHOW CREATE TABLE");
        StoreTable(database, name, s);
    }

    private void StoreTable(TrackedDatabase database, string name, CreateTableStatement definition)
    {
        var editor = new TableEditor(definition with { Table = new TableName(null, name) });
        database.Tables[name] = new TrackedTable(editor.Build(name));
    }

    private void AlterTable(AlterTableStatement s, string? currentSchema)
    {
        var (schema, name) = Qualify(s.Table, currentSchema);
        if (!_databases.TryGetValue(schema, out var database) || !database.Tables.TryGetValue(name, out var tracked))
        {
            if (s.IfExists) return;
            throw new SchemaTrackerException($"ALTER TABLE: unknown table {schema}.{name}");
        }
        var editor = new TableEditor(tracked.Definition);
        TableName? renameTo = null;
        // the server removes dropped columns and keys before it adds new ones
        foreach (var spec in s.Specs.Where(IsDrop)) editor.Apply(spec);
        foreach (var spec in s.Specs.Where(x => !IsDrop(x)))
        {
            switch (spec)
            {
                case RenameTableSpec rename:
                    renameTo = rename.NewName;
                    break;
                case ConvertPartitionToTableSpec convert:
                {
                    var (newSchema, newName) = Qualify(convert.Table, schema);
                    StoreTable(Database(newSchema), newName, tracked.Definition with { Partitioning = null });
                    break;
                }
                case ConvertTableToPartitionSpec convert:
                {
                    var (oldSchema, oldName) = Qualify(convert.Table, schema);
                    RemoveTable(oldSchema, oldName);
                    break;
                }
                default:
                    editor.Apply(spec);
                    break;
            }
        }
        if (s.Partitioning != null) editor.SetPartitioning(s.Partitioning);
        database.Tables[name] = new TrackedTable(editor.Build(name));
        if (renameTo != null) Rename(new TableName(schema, name), renameTo, schema, false);
    }

    private static bool IsDrop(AlterSpec spec) =>
        spec is DropColumnSpec or DropIndexSpec or DropPrimaryKeySpec or DropForeignKeySpec or DropConstraintSpec;

    private void Rename(TableName from, TableName to, string? currentSchema, bool ifExists)
    {
        var (fromSchema, fromName) = Qualify(from, currentSchema);
        var (toSchema, toName) = Qualify(to, currentSchema);
        if (!_databases.TryGetValue(fromSchema, out var source) || !source.Tables.Remove(fromName, out var tracked))
        {
            if (ifExists) return;
            throw new SchemaTrackerException($"RENAME TABLE: unknown table {fromSchema}.{fromName}");
        }
        var target = Database(toSchema);
        target.Tables[toName] = new TrackedTable(tracked.Definition with { Table = new TableName(null, toName) });
    }

    internal void RestoreDatabase(string name, string? charset, string? collation) => CreateDatabase(name, charset, collation);
}
