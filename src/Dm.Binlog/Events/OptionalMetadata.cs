using System.Text;
using Dm.Binlog.Protocol;
using Dm.Binlog.Rows;

namespace Dm.Binlog.Events;

/// <summary>
/// TABLE_MAP optional metadata (MySQL 8.0 / MariaDB 10.5 binlog_row_metadata): type-length-value
/// fields, types per Table_map_event::Optional_metadata_field_type.
/// </summary>
internal static class OptionalMetadata
{
    private const byte Signedness = 1;
    private const byte DefaultCharset = 2;
    private const byte ColumnCharset = 3;
    private const byte ColumnName = 4;
    private const byte SetStrValue = 5;
    private const byte EnumStrValue = 6;
    private const byte GeometryType = 7;
    private const byte SimplePrimaryKey = 8;
    private const byte PrimaryKeyWithPrefix = 9;
    private const byte EnumAndSetDefaultCharset = 10;
    private const byte EnumAndSetColumnCharset = 11;

    public static void Apply(ColumnDefinition[] columns, ReadOnlySpan<byte> data)
    {
        var reader = new PayloadReader(data);
        while (!reader.IsAtEnd)
        {
            var type = reader.ReadByte();
            var value = new PayloadReader(reader.ReadLengthEncodedBytes());
            switch (type)
            {
                case Signedness:
                {
                    var bits = value.ReadToEnd();
                    var n = 0;
                    foreach (var column in columns)
                    {
                        if (!column.IsNumeric) continue;
                        if (n >> 3 >= bits.Length) break;
                        column.IsUnsigned = (bits[n >> 3] & (0x80 >> (n & 7))) != 0;
                        n++;
                    }
                    break;
                }
                case DefaultCharset:
                    ApplyDefaultCharset(columns, ref value, c => c.IsCharacter);
                    break;
                case EnumAndSetDefaultCharset:
                    ApplyDefaultCharset(columns, ref value, c => c.IsEnumOrSet);
                    break;
                case ColumnCharset:
                    foreach (var column in columns)
                        if (column.IsCharacter && !value.IsAtEnd) SetCollation(column, (int)value.ReadLengthEncodedInteger());
                    break;
                case EnumAndSetColumnCharset:
                    foreach (var column in columns)
                        if (column.IsEnumOrSet && !value.IsAtEnd) SetCollation(column, (int)value.ReadLengthEncodedInteger());
                    break;
                case ColumnName:
                    foreach (var column in columns)
                        if (!value.IsAtEnd) column.Name = Encoding.UTF8.GetString(value.ReadLengthEncodedBytes());
                    break;
                case SetStrValue:
                case EnumStrValue:
                    foreach (var column in columns)
                    {
                        if (column.Type != (type == SetStrValue ? ColumnType.Set : ColumnType.Enum) || value.IsAtEnd) continue;
                        var count = (int)value.ReadLengthEncodedInteger();
                        var names = new string[Math.Min(count, value.Remaining)];
                        for (var i = 0; i < count; i++)
                        {
                            var name = value.ReadLengthEncodedBytes();
                            if (i < names.Length) names[i] = (column.Encoding ?? Encoding.UTF8).GetString(name);
                        }
                        if (type == SetStrValue) column.SetValues = names;
                        else column.EnumValues = names;
                    }
                    break;
                case GeometryType:
                    foreach (var column in columns)
                        if (column.Type == ColumnType.Geometry && !value.IsAtEnd) column.GeometryType = (int)value.ReadLengthEncodedInteger();
                    break;
                case SimplePrimaryKey:
                    while (!value.IsAtEnd) MarkKey(columns, value.ReadLengthEncodedInteger());
                    break;
                case PrimaryKeyWithPrefix:
                    while (!value.IsAtEnd)
                    {
                        MarkKey(columns, value.ReadLengthEncodedInteger());
                        value.ReadLengthEncodedInteger(); // prefix length
                    }
                    break;
            }
        }
    }

    /// <summary>Default collation, then (column index among the selected columns, collation) pairs for the exceptions.</summary>
    private static void ApplyDefaultCharset(ColumnDefinition[] columns, ref PayloadReader value, Func<ColumnDefinition, bool> selected)
    {
        var defaultCollation = (int)value.ReadLengthEncodedInteger();
        var exceptions = new Dictionary<int, int>();
        while (!value.IsAtEnd)
        {
            var index = (int)value.ReadLengthEncodedInteger();
            exceptions[index] = (int)value.ReadLengthEncodedInteger();
        }
        var n = 0;
        foreach (var column in columns)
        {
            if (!selected(column)) continue;
            SetCollation(column, exceptions.GetValueOrDefault(n, defaultCollation));
            n++;
        }
    }

    private static void SetCollation(ColumnDefinition column, int collation)
    {
        column.Collation = collation;
        column.Encoding = CharsetEncodings.ForCollation(collation);
    }

    private static void MarkKey(ColumnDefinition[] columns, ulong index)
    {
        if (index < (ulong)columns.Length) columns[index].IsPrimaryKey = true;
    }
}
