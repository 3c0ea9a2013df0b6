using Dm.Sql.Ast;

namespace Dm.Sql.Printing;

/// <summary>CREATE TABLE pieces: columns, types, indexes, foreign keys, checks, partitions.</summary>
public sealed partial class SqlPrinter
{
    private void CreateTable(CreateTableStatement s)
    {
        W(s.OrReplace ? "CREATE OR REPLACE " : "CREATE ");
        if (s.Temporary) W("TEMPORARY ");
        W("TABLE ");
        if (s.IfNotExists) W("IF NOT EXISTS ");
        Table(s.Table);
        if (s.Like != null)
        {
            W(" LIKE ");
            Table(s.Like);
            return;
        }
        if (s.Elements.Count > 0)
        {
            W(" (");
            for (var i = 0; i < s.Elements.Count; i++)
            {
                if (i > 0) W(", ");
                Element(s.Elements[i]);
            }
            W(")");
        }
        if (s.Options.Count > 0)
        {
            W(" ");
            Options(s.Options);
        }
        if (s.Partitioning != null) Partitioning(s.Partitioning);
        if (s.DuplicateHandling != null) { W(" "); W(s.DuplicateHandling); }
        if (s.Select != null)
        {
            W(" AS ");
            Query(s.Select);
        }
    }

    private void Element(TableElement element)
    {
        switch (element)
        {
            case ColumnDefinition c: Column(c); break;
            case IndexDefinition i: Index(i); break;
            case ForeignKeyDefinition f: ForeignKey(f); break;
            case CheckConstraint c: Check(c); break;
            case PeriodDefinition p:
                W("PERIOD FOR ");
                // SYSTEM_TIME is a keyword here; quoted it would name an application-time period
                if (p.Name.Equals("SYSTEM_TIME", StringComparison.OrdinalIgnoreCase)) W("SYSTEM_TIME");
                else Id(p.Name);
                W(" (");
                Id(p.StartColumn);
                W(", ");
                Id(p.EndColumn);
                W(")");
                break;
            default: throw new ArgumentException($"cannot print {element.GetType().Name}", nameof(element));
        }
    }

    private void Column(ColumnDefinition c)
    {
        Id(c.Name);
        W(" ");
        Type(c.Type);
        if (c.Generated is { Storage: GeneratedStorage.RowStart or GeneratedStorage.RowEnd })
            W(c.Generated.Storage == GeneratedStorage.RowStart ? " GENERATED ALWAYS AS ROW START" : " GENERATED ALWAYS AS ROW END");
        else if (c.Generated != null)
        {
            W(c.Generated.AlwaysKeyword ? " GENERATED ALWAYS AS (" : " AS (");
            W(c.Generated.Expression.Text);
            W(c.Generated.Storage == GeneratedStorage.Stored ? ") STORED" : ") VIRTUAL");
        }
        if (c.Nullable == false) W(" NOT NULL");
        else if (c.Nullable == true) W(" NULL");
        if (c.Default != null) { W(" DEFAULT "); W(c.Default.Text); }
        if (c.OnUpdate != null) { W(" ON UPDATE "); W(c.OnUpdate.Text); }
        if (c.AutoIncrement) W(" AUTO_INCREMENT");
        if (c.SerialDefaultValue) W(" SERIAL DEFAULT VALUE");
        if (c.Visible == true) W(" VISIBLE");
        else if (c.Visible == false) W(" INVISIBLE");
        if (c.Key == ColumnKey.Primary) W(" PRIMARY KEY");
        else if (c.Key == ColumnKey.Unique) W(" UNIQUE KEY");
        if (c.Comment != null) { W(" COMMENT "); Str(c.Comment); }
        if (c.Collation != null) { W(" COLLATE "); CharsetName(c.Collation); }
        if (c.ColumnFormat != null) { W(" COLUMN_FORMAT "); W(c.ColumnFormat); }
        if (c.Storage != null) { W(" STORAGE "); W(c.Storage); }
        if (c.Srid != null) { W(" SRID "); Int(c.Srid.Value); }
        if (c.Compressed) W(" COMPRESSED");
        if (c.EngineAttribute != null) { W(" ENGINE_ATTRIBUTE "); Str(c.EngineAttribute); }
        if (c.WithoutSystemVersioning) W(" WITHOUT SYSTEM VERSIONING");
        if (c.Check != null) { W(" "); Check(c.Check); }
        if (c.References != null) { W(" "); Reference(c.References); }
    }

    private void Type(DataType t)
    {
        W(t.Name);
        if (t.Values != null)
        {
            W("(");
            for (var i = 0; i < t.Values.Count; i++)
            {
                if (i > 0) W(",");
                Str(t.Values[i]);
            }
            W(")");
        }
        else if (t.Length != null)
        {
            W("(");
            Int(t.Length.Value);
            if (t.Scale != null) { W(","); Int(t.Scale.Value); }
            W(")");
        }
        if (t.Signed) W(" SIGNED");
        if (t.Unsigned) W(" UNSIGNED");
        if (t.Zerofill) W(" ZEROFILL");
        if (t.Binary) W(" BINARY");
        if (t.Charset != null) { W(" CHARACTER SET "); CharsetName(t.Charset); }
        if (t.Collation != null) { W(" COLLATE "); CharsetName(t.Collation); }
    }

    private void Index(IndexDefinition i)
    {
        if (i.HasConstraintKeyword)
        {
            W("CONSTRAINT ");
            if (i.ConstraintName != null) { Id(i.ConstraintName); W(" "); }
        }
        W(i.Kind switch
        {
            IndexKind.Primary => "PRIMARY KEY",
            IndexKind.Unique => "UNIQUE KEY",
            IndexKind.Fulltext => "FULLTEXT KEY",
            IndexKind.Spatial => "SPATIAL KEY",
            IndexKind.Vector => "VECTOR KEY",
            _ => "KEY",
        });
        if (i.IfNotExists) W(" IF NOT EXISTS");
        if (i.Name != null) { W(" "); Id(i.Name); }
        W(" ");
        KeyParts(i.Parts);
        IndexOptions(i.Options);
    }

    private void KeyParts(SqlList<KeyPart> parts)
    {
        W("(");
        for (var k = 0; k < parts.Count; k++)
        {
            if (k > 0) W(", ");
            var part = parts[k];
            if (part.Expression != null)
            {
                W("(");
                W(part.Expression.Text);
                W(")");
            }
            else
            {
                Id(part.Column!);
                if (part.Length != null) { W("("); Int(part.Length.Value); W(")"); }
            }
            if (part.Descending == true) W(" DESC");
            else if (part.Descending == false) W(" ASC");
        }
        W(")");
    }

    private void IndexOptions(IndexOptions o)
    {
        if (o.Using != null) { W(" USING "); W(o.Using); }
        if (o.KeyBlockSize != null) { W(" KEY_BLOCK_SIZE="); Int(o.KeyBlockSize.Value); }
        if (o.Parser != null) { W(" WITH PARSER "); Id(o.Parser); }
        if (o.Comment != null) { W(" COMMENT "); Str(o.Comment); }
        if (o.Visibility != null) { W(" "); W(o.Visibility); }
        if (o.EngineAttribute != null) { W(" ENGINE_ATTRIBUTE "); Str(o.EngineAttribute); }
        if (o.Clustering) W(" CLUSTERING=YES");
        if (o.Extra != null)
        {
            foreach (var option in o.Extra)
            {
                W(" ");
                Option(option);
            }
        }
    }

    private void ForeignKey(ForeignKeyDefinition f)
    {
        if (f.ConstraintName != null)
        {
            W("CONSTRAINT ");
            Id(f.ConstraintName);
            W(" ");
        }
        W("FOREIGN KEY ");
        if (f.IfNotExists) W("IF NOT EXISTS ");
        if (f.IndexName != null) { Id(f.IndexName); W(" "); }
        W("(");
        IdList(f.Columns);
        W(") ");
        Reference(f.Reference);
    }

    private void Reference(ReferenceDefinition r)
    {
        W("REFERENCES ");
        Table(r.Table);
        if (r.Columns.Count > 0)
        {
            W(" (");
            IdList(r.Columns);
            W(")");
        }
        if (r.Match != null) { W(" MATCH "); W(r.Match); }
        if (r.OnDelete != null) { W(" ON DELETE "); W(r.OnDelete); }
        if (r.OnUpdate != null) { W(" ON UPDATE "); W(r.OnUpdate); }
    }

    private void Check(CheckConstraint c)
    {
        if (c.Name != null)
        {
            W("CONSTRAINT ");
            if (c.Name.Length > 0) { Id(c.Name); W(" "); }
        }
        W("CHECK (");
        W(c.Expression.Text);
        W(")");
        if (c.Enforced == true) W(" ENFORCED");
        else if (c.Enforced == false) W(" NOT ENFORCED");
    }

    // ---- partitioning ----

    private void Partitioning(PartitionOptions p)
    {
        W(" PARTITION BY ");
        Method(p.Method, p.Expression, p.Columns, p.Algorithm);
        if (p.Count != null) { W(" PARTITIONS "); Int(p.Count.Value); }
        if (p.SubMethod != null)
        {
            W(" SUBPARTITION BY ");
            Method(p.SubMethod, p.SubExpression, p.SubColumns, p.SubAlgorithm);
            if (p.SubCount != null) { W(" SUBPARTITIONS "); Int(p.SubCount.Value); }
        }
        if (p.Partitions.Count > 0)
        {
            W(" ");
            PartitionList(p.Partitions);
        }
    }

    private void Method(PartitionMethod method, SqlExpression? expression, SqlList<string> columns, int? algorithm)
    {
        W(method.Name);
        if (method.Name == "SYSTEM_TIME")
        {
            if (expression != null) { W(" "); W(expression.Text); }
            return;
        }
        if (algorithm != null) { W(" ALGORITHM = "); Int(algorithm.Value); }
        if (expression != null)
        {
            W(" (");
            W(expression.Text);
            W(")");
        }
        else
        {
            W(" (");
            IdList(columns);
            W(")");
        }
    }

    private void PartitionList(SqlList<PartitionDefinition> partitions)
    {
        W("(");
        for (var i = 0; i < partitions.Count; i++)
        {
            if (i > 0) W(", ");
            Partition(partitions[i], "PARTITION ");
        }
        W(")");
    }

    private void Partition(PartitionDefinition p, string keyword)
    {
        W(keyword);
        Id(p.Name);
        switch (p.ValuesKind)
        {
            case PartitionValuesKind.LessThan:
                W(" VALUES LESS THAN (");
                Expressions(p.Values);
                W(")");
                break;
            case PartitionValuesKind.LessThanMaxValue:
                W(" VALUES LESS THAN MAXVALUE");
                break;
            case PartitionValuesKind.In:
                W(" VALUES IN (");
                Expressions(p.Values);
                W(")");
                break;
            case PartitionValuesKind.History: W(" HISTORY"); break;
            case PartitionValuesKind.Current: W(" CURRENT"); break;
        }
        foreach (var option in p.Options)
        {
            W(" ");
            if (option.Name is "ENGINE" or "COMMENT" or "DATA DIRECTORY" or "INDEX DIRECTORY" or "MAX_ROWS" or "MIN_ROWS" or "NODEGROUP")
            {
                W(option.Name);
                W(" = ");
                if (option.IsString) Str(option.Value); else W(option.Value);
            }
            else Option(option);
        }
        if (p.Subpartitions.Count > 0)
        {
            W(" (");
            for (var i = 0; i < p.Subpartitions.Count; i++)
            {
                if (i > 0) W(", ");
                Partition(p.Subpartitions[i], "SUBPARTITION ");
            }
            W(")");
        }
    }

    private void Expressions(SqlList<SqlExpression> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0) W(", ");
            W(values[i].Text);
        }
    }
}
