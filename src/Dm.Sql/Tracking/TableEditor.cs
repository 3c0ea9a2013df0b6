using Dm.Sql.Ast;

namespace Dm.Sql.Tracking;

/// <summary>
/// A mutable working copy of one table definition that ALTER specifications are applied to, the way
/// the server applies them (column renames follow into indexes, dropped columns leave indexes, unnamed
/// indexes are named after their first column).
/// </summary>
internal sealed class TableEditor
{
    private readonly List<TableElement> _elements;
    private readonly List<TableOption> _options;
    private PartitionOptions? _partitioning;
    private readonly string _tableName;

    public TableEditor(CreateTableStatement definition)
    {
        _tableName = definition.Table.Name;
        _elements = [];
        _options = [.. definition.Options];
        _partitioning = definition.Partitioning;
        foreach (var element in definition.Elements) AddElement(element, ifNotExists: false);
    }

    public CreateTableStatement Build(string tableName) => new(new TableName(null, tableName), false, false, false,
        _elements.ToSqlList(), _options.ToSqlList(), _partitioning, null, null, null);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private IEnumerable<ColumnDefinition> Columns => _elements.OfType<ColumnDefinition>();

    private int ColumnIndex(string name) => _elements.FindIndex(e => e is ColumnDefinition c && Same(c.Name, name));

    private bool IndexExists(string name) => _elements.Any(e => e is IndexDefinition i && Same(IndexName(i), name));

    private static string IndexName(IndexDefinition index) => index.Kind == IndexKind.Primary ? "PRIMARY" : index.Name ?? "";

    // ---- elements ----

    private void AddElement(TableElement element, bool ifNotExists)
    {
        switch (element)
        {
            case ColumnDefinition column:
                InsertColumn(column, null, ifNotExists);
                break;
            case IndexDefinition index:
                AddIndex(index, ifNotExists || index.IfNotExists);
                break;
            case ForeignKeyDefinition fk:
                AddForeignKey(fk, ifNotExists || fk.IfNotExists);
                break;
            case CheckConstraint check:
                _elements.Add(check.Name is { Length: > 0 } ? check : check with { Name = NextCheckName() });
                break;
            default:
                _elements.Add(element);
                break;
        }
    }

    private string NextCheckName()
    {
        var n = 1;
        while (_elements.Any(e => e is CheckConstraint c && Same(c.Name ?? "", "CONSTRAINT_" + n))) n++;
        return "CONSTRAINT_" + n;
    }

    private void InsertColumn(ColumnDefinition column, ColumnPosition? position, bool ifNotExists)
    {
        if (ColumnIndex(column.Name) >= 0)
        {
            if (ifNotExists) return;
            throw new SchemaTrackerException($"duplicate column {column.Name} in {_tableName}");
        }
        var (bare, key) = SplitColumnKey(column);
        InsertAt(bare, position);
        if (key != null) AddIndex(key, ifNotExists: false);
        if (column.References != null)
            AddForeignKey(new ForeignKeyDefinition(null, null, SqlList.Of(column.Name), column.References), false);
    }

    /// <summary>Column-level PRIMARY KEY / UNIQUE become table-level keys; NOT NULL follows a primary key.</summary>
    private static (ColumnDefinition Column, IndexDefinition? Key) SplitColumnKey(ColumnDefinition column)
    {
        var bare = column with { Key = ColumnKey.None, References = null };
        if (column.Type.Name == "SERIAL")
            return (bare with { Nullable = false, AutoIncrement = true },
                new IndexDefinition(IndexKind.Unique, column.Name, SqlList.Of(new KeyPart(column.Name, null, null, null)), IndexOptions.None));
        return column.Key switch
        {
            ColumnKey.Primary => (bare with { Nullable = false },
                new IndexDefinition(IndexKind.Primary, null, SqlList.Of(new KeyPart(column.Name, null, null, null)), IndexOptions.None)),
            ColumnKey.Unique => (bare,
                new IndexDefinition(IndexKind.Unique, null, SqlList.Of(new KeyPart(column.Name, null, null, null)), IndexOptions.None)),
            _ => (bare, null),
        };
    }

    /// <summary>Columns come first in the element list, in order; keys and constraints follow.</summary>
    private void InsertAt(ColumnDefinition column, ColumnPosition? position)
    {
        int index;
        if (position == null) index = _elements.FindLastIndex(e => e is ColumnDefinition) + 1;
        else if (position.After == null) index = 0;
        else
        {
            var after = ColumnIndex(position.After);
            if (after < 0) throw new SchemaTrackerException($"unknown column {position.After} in {_tableName}");
            index = after + 1;
        }
        _elements.Insert(index, column);
    }

    private void AddIndex(IndexDefinition index, bool ifNotExists)
    {
        if (index.Kind == IndexKind.Primary)
        {
            if (_elements.Any(e => e is IndexDefinition { Kind: IndexKind.Primary }))
            {
                if (ifNotExists) return;
                throw new SchemaTrackerException($"multiple primary keys in {_tableName}");
            }
            // primary key columns are NOT NULL
            foreach (var part in index.Parts)
            {
                if (part.Column == null) continue;
                var at = ColumnIndex(part.Column);
                if (at >= 0) _elements[at] = ((ColumnDefinition)_elements[at]) with { Nullable = false };
            }
            _elements.Add(index with { Name = null, ConstraintName = null, HasConstraintKeyword = false, IfNotExists = false });
            return;
        }
        var name = index.Name ?? index.ConstraintName;
        if (name != null && IndexExists(name))
        {
            if (ifNotExists) return;
            throw new SchemaTrackerException($"duplicate key name {name} in {_tableName}");
        }
        name ??= GeneratedIndexName(index.Parts[0].Column ?? "functional_index");
        _elements.Add(index with { Name = name, ConstraintName = null, HasConstraintKeyword = false, IfNotExists = false });
    }

    private string GeneratedIndexName(string first)
    {
        if (!IndexExists(first) && !Same(first, "PRIMARY")) return first;
        var n = 2;
        while (IndexExists(first + "_" + n)) n++;
        return first + "_" + n;
    }

    private void AddForeignKey(ForeignKeyDefinition fk, bool ifNotExists)
    {
        var name = fk.ConstraintName ?? NextForeignKeyName();
        if (_elements.Any(e => e is ForeignKeyDefinition f && Same(f.ConstraintName ?? "", name)))
        {
            if (ifNotExists) return;
            throw new SchemaTrackerException($"duplicate foreign key {name} in {_tableName}");
        }
        // the server creates an index for the referencing columns unless one already starts with them
        var covered = _elements.OfType<IndexDefinition>().Any(i =>
            i.Parts.Count >= fk.Columns.Count && fk.Columns.Select((c, k) => i.Parts[k].Column != null && Same(i.Parts[k].Column!, c)).All(x => x));
        if (!covered)
        {
            var indexName = fk.IndexName ?? fk.ConstraintName;
            var parts = fk.Columns.Select(c => new KeyPart(c, null, null, null)).ToSqlList();
            AddIndex(new IndexDefinition(IndexKind.Index, indexName != null && !IndexExists(indexName) ? indexName : null, parts, IndexOptions.None), false);
        }
        _elements.Add(fk with { ConstraintName = name, IfNotExists = false });
    }

    private string NextForeignKeyName()
    {
        var n = 1;
        while (_elements.Any(e => e is ForeignKeyDefinition f && Same(f.ConstraintName ?? "", $"{_tableName}_ibfk_{n}"))) n++;
        return $"{_tableName}_ibfk_{n}";
    }

    // ---- ALTER TABLE ----

    public void Apply(AlterSpec spec)
    {
        switch (spec)
        {
            case AddColumnsSpec s:
                var position = s.Position;
                foreach (var column in s.Columns)
                {
                    InsertColumn(column, position, s.IfNotExists);
                    if (position != null) position = new ColumnPosition(column.Name);
                }
                break;
            case AddConstraintSpec s:
                AddElement(s.Element, ifNotExists: false);
                break;
            case ChangeColumnSpec s:
                ReplaceColumn(s.OldName, s.Column, s.Position, s.IfExists);
                break;
            case ModifyColumnSpec s:
                ReplaceColumn(s.Column.Name, s.Column, s.Position, s.IfExists);
                break;
            case DropColumnSpec s:
                DropColumn(s.Name, s.IfExists);
                break;
            case RenameColumnSpec s:
            {
                var at = ColumnIndex(s.OldName);
                if (at < 0)
                {
                    if (s.IfExists) break;
                    throw new SchemaTrackerException($"unknown column {s.OldName} in {_tableName}");
                }
                _elements[at] = ((ColumnDefinition)_elements[at]) with { Name = s.NewName };
                RenameColumnReferences(s.OldName, s.NewName);
                break;
            }
            case AlterColumnDefaultSpec s:
                UpdateColumn(s.Column, c => c with { Default = s.Default });
                break;
            case AlterColumnVisibilitySpec s:
                UpdateColumn(s.Column, c => c with { Visible = s.Visible ? null : false });
                break;
            case DropIndexSpec s:
                DropIndex(s.Name, s.IfExists);
                break;
            case DropPrimaryKeySpec:
                _elements.RemoveAll(e => e is IndexDefinition { Kind: IndexKind.Primary });
                break;
            case DropForeignKeySpec s:
                if (_elements.RemoveAll(e => e is ForeignKeyDefinition f && Same(f.ConstraintName ?? "", s.Name)) == 0 && !s.IfExists)
                    throw new SchemaTrackerException($"unknown foreign key {s.Name} in {_tableName}");
                break;
            case DropConstraintSpec s:
            {
                var removed = _elements.RemoveAll(e =>
                    e is CheckConstraint c && Same(c.Name ?? "", s.Name) ||
                    !s.CheckKeyword && e is ForeignKeyDefinition f && Same(f.ConstraintName ?? "", s.Name) ||
                    !s.CheckKeyword && e is IndexDefinition { Kind: IndexKind.Unique } i && Same(i.Name ?? "", s.Name));
                if (removed == 0 && !s.IfExists) throw new SchemaTrackerException($"unknown constraint {s.Name} in {_tableName}");
                break;
            }
            case RenameIndexSpec s:
            {
                var at = _elements.FindIndex(e => e is IndexDefinition i && Same(IndexName(i), s.OldName));
                if (at < 0)
                {
                    if (s.IfExists) break;
                    throw new SchemaTrackerException($"unknown key {s.OldName} in {_tableName}");
                }
                _elements[at] = ((IndexDefinition)_elements[at]) with { Name = s.NewName };
                break;
            }
            case AlterIndexVisibilitySpec s:
            {
                var at = _elements.FindIndex(e => e is IndexDefinition i && Same(IndexName(i), s.Name));
                if (at < 0) throw new SchemaTrackerException($"unknown key {s.Name} in {_tableName}");
                var index = (IndexDefinition)_elements[at];
                _elements[at] = index with { Options = index.Options with { Visibility = s.Visibility is "VISIBLE" or "NOT IGNORED" ? null : s.Visibility } };
                break;
            }
            case TableOptionsSpec s:
                foreach (var option in s.Options) SetOption(option);
                break;
            case ConvertCharsetSpec s:
                ConvertCharset(s.Charset, s.Collation);
                break;
            case RemovePartitioningSpec:
                _partitioning = null;
                break;
            case AlterCheckSpec s:
            {
                var at = _elements.FindIndex(e => e is CheckConstraint c && Same(c.Name ?? "", s.Name));
                if (at >= 0) _elements[at] = ((CheckConstraint)_elements[at]) with { Enforced = s.Enforced ? null : false };
                break;
            }
            // Statement settings, maintenance and partition-content operations leave columns and keys unchanged.
        }
    }

    public void SetPartitioning(PartitionOptions? partitioning) => _partitioning = partitioning;

    private void UpdateColumn(string name, Func<ColumnDefinition, ColumnDefinition> change)
    {
        var at = ColumnIndex(name);
        if (at < 0) throw new SchemaTrackerException($"unknown column {name} in {_tableName}");
        _elements[at] = change((ColumnDefinition)_elements[at]);
    }

    private void ReplaceColumn(string oldName, ColumnDefinition column, ColumnPosition? position, bool ifExists)
    {
        var at = ColumnIndex(oldName);
        if (at < 0)
        {
            if (ifExists) return;
            throw new SchemaTrackerException($"unknown column {oldName} in {_tableName}");
        }
        var (bare, key) = SplitColumnKey(column);
        var wasNotNullByKey = InPrimaryKey(oldName);
        if (wasNotNullByKey && bare.Nullable == null) bare = bare with { Nullable = false };
        if (position == null) _elements[at] = bare;
        else
        {
            _elements.RemoveAt(at);
            InsertAt(bare, position);
        }
        if (!Same(oldName, column.Name)) RenameColumnReferences(oldName, column.Name);
        if (key != null) AddIndex(key, ifNotExists: false);
    }

    private bool InPrimaryKey(string column) =>
        _elements.Any(e => e is IndexDefinition { Kind: IndexKind.Primary } i && i.Parts.Any(p => p.Column != null && Same(p.Column, column)));

    private void RenameColumnReferences(string oldName, string newName)
    {
        for (var k = 0; k < _elements.Count; k++)
        {
            switch (_elements[k])
            {
                case IndexDefinition index when index.Parts.Any(p => p.Column != null && Same(p.Column, oldName)):
                    _elements[k] = index with
                    {
                        Parts = index.Parts.Select(p => p.Column != null && Same(p.Column, oldName) ? p with { Column = newName } : p).ToSqlList(),
                    };
                    break;
                case ForeignKeyDefinition fk when fk.Columns.Any(c => Same(c, oldName)):
                    _elements[k] = fk with { Columns = fk.Columns.Select(c => Same(c, oldName) ? newName : c).ToSqlList() };
                    break;
            }
        }
    }

    private void DropColumn(string name, bool ifExists)
    {
        var at = ColumnIndex(name);
        if (at < 0)
        {
            if (ifExists) return;
            throw new SchemaTrackerException($"unknown column {name} in {_tableName}");
        }
        _elements.RemoveAt(at);
        for (var k = _elements.Count - 1; k >= 0; k--)
        {
            if (_elements[k] is not IndexDefinition index) continue;
            if (!index.Parts.Any(p => p.Column != null && Same(p.Column, name))) continue;
            var parts = index.Parts.Where(p => p.Column == null || !Same(p.Column, name)).ToSqlList();
            if (parts.Count == 0) _elements.RemoveAt(k);
            else _elements[k] = index with { Parts = parts };
        }
    }

    private void DropIndex(string name, bool ifExists)
    {
        var removed = _elements.RemoveAll(e => e is IndexDefinition i && Same(IndexName(i), name));
        if (removed == 0 && !ifExists) throw new SchemaTrackerException($"unknown key {name} in {_tableName}");
    }

    private void SetOption(TableOption option)
    {
        var at = _options.FindIndex(o => o.Name == option.Name);
        if (at >= 0) _options[at] = option;
        else _options.Add(option);
        if (option.Name == "CHARACTER SET")
        {
            // a new default charset drops a default collation of another charset
            _options.RemoveAll(o => o.Name == "COLLATE" && !o.Value.StartsWith(option.Value + "_", StringComparison.OrdinalIgnoreCase));
        }
    }

    private void ConvertCharset(string charset, string? collation)
    {
        for (var k = 0; k < _elements.Count; k++)
        {
            if (_elements[k] is ColumnDefinition c && ColumnTypeText.HasCharset(c.Type) && c.Type.Charset != "binary")
                _elements[k] = c with { Type = c.Type with { Charset = charset, Collation = collation }, Collation = null };
        }
        SetOption(new TableOption("CHARACTER SET", charset, false));
        if (collation != null) SetOption(new TableOption("COLLATE", collation, false));
    }
}
