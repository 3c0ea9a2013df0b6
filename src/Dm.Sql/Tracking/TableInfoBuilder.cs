using Dm.Sql.Ast;

namespace Dm.Sql.Tracking;

/// <summary>Resolves a normalised table definition into <see cref="TableInfo"/>: effective charsets, nullability, keys.</summary>
internal static class TableInfoBuilder
{
    public static TableInfo Build(string schema, string name, CreateTableStatement definition, string? databaseCharset, string? databaseCollation)
    {
        string? tableCharset = null, tableCollation = null;
        foreach (var option in definition.Options)
        {
            if (option.Name == "CHARACTER SET" && option.Value != "DEFAULT") tableCharset = option.Value;
            else if (option.Name == "COLLATE" && option.Value != "DEFAULT") tableCollation = option.Value;
        }
        tableCharset ??= CharsetOfCollation(tableCollation) ?? databaseCharset ?? "utf8mb4";
        if (tableCollation == null && databaseCollation != null && CharsetOfCollation(databaseCollation) == tableCharset)
            tableCollation = databaseCollation;

        var columns = new List<ColumnInfo>();
        var indexes = new List<IndexInfo>();
        // application-time period columns are NOT NULL
        var periodColumns = definition.Elements.OfType<PeriodDefinition>().SelectMany(p => new[] { p.StartColumn, p.EndColumn })
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var rowEnd = definition.Options.Any(o => o.Name == "WITH SYSTEM VERSIONING")
            ? definition.Elements.OfType<ColumnDefinition>().FirstOrDefault(c => c.Generated?.Storage == GeneratedStorage.RowEnd)?.Name
            : null;
        foreach (var element in definition.Elements)
        {
            switch (element)
            {
                case ColumnDefinition c:
                    columns.Add(Column(c, columns.Count, tableCharset, tableCollation, periodColumns.Contains(c.Name)));
                    break;
                case IndexDefinition i:
                    var parts = i.Parts.Select(p => p.Column).ToList();
                    // system-versioned tables: the server extends every unique key with the row-end column
                    if (rowEnd != null && i.Kind is IndexKind.Primary or IndexKind.Unique && !parts.Any(p => string.Equals(p, rowEnd, StringComparison.OrdinalIgnoreCase)))
                        parts.Add(rowEnd);
                    indexes.Add(new IndexInfo(i.Kind == IndexKind.Primary ? "PRIMARY" : i.Name ?? "", i.Kind, parts));
                    break;
            }
        }
        return new TableInfo(schema, name, definition, columns, indexes, tableCharset, tableCollation);
    }

    private static ColumnInfo Column(ColumnDefinition c, int ordinal, string tableCharset, string? tableCollation, bool inPeriod)
    {
        string? charset = null, collation = null;
        if (ColumnTypeText.HasCharset(c.Type))
        {
            collation = c.Collation ?? c.Type.Collation;
            charset = c.Type.Charset ?? CharsetOfCollation(collation) ?? (ColumnTypeText.IsNational(c.Type) ? "utf8mb3" : tableCharset);
            if (c.Type.Name == "JSON" && c.Type.Charset == null) collation ??= "utf8mb4_bin";
            if (collation == null && c.Type.Binary) collation = charset + "_bin";
            if (collation == null && charset == tableCharset) collation = tableCollation;
        }
        var systemTime = c.Generated is { Storage: GeneratedStorage.RowStart or GeneratedStorage.RowEnd };
        var generated = c.Generated != null;
        // AUTO_INCREMENT, SERIAL and period columns cannot hold NULL whatever the definition says
        var nullable = (c.Nullable ?? true) && !c.AutoIncrement && c.Type.Name != "SERIAL" && !inPeriod;
        var rendered = ColumnTypeText.Render(c.Type, charset ?? (c.Type.Charset == null ? tableCharset : c.Type.Charset));
        return new ColumnInfo(c.Name, ordinal, c.Type, rendered, charset, collation, nullable,
            c.Default?.Text, generated, generated && c.Generated!.Storage == GeneratedStorage.Stored, c.AutoIncrement || c.Type.Name == "SERIAL", systemTime);
    }

    /// <summary>The charset a collation belongs to: the text before its first '_' (binary for binary).</summary>
    public static string? CharsetOfCollation(string? collation)
    {
        if (collation == null || collation == "DEFAULT") return null;
        if (collation.Equals("binary", StringComparison.OrdinalIgnoreCase)) return "binary";
        var underscore = collation.IndexOf('_', StringComparison.Ordinal);
        return underscore > 0 ? collation[..underscore].ToLowerInvariant() : null;
    }
}
