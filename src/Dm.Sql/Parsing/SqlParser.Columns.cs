using Dm.Sql.Ast;
using Dm.Sql.Lexing;

namespace Dm.Sql.Parsing;

/// <summary>Column definitions: name, data type, and column attributes in any order.</summary>
public sealed partial class SqlParser
{
    private static readonly HashSet<string> TypeNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "BIT", "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "INT1", "INT2", "INT3", "INT4", "INT8",
        "MIDDLEINT", "REAL", "DOUBLE", "FLOAT", "FLOAT4", "FLOAT8", "DECIMAL", "DEC", "NUMERIC", "FIXED", "NUMBER",
        "BOOL", "BOOLEAN", "SERIAL", "DATE", "TIME", "TIMESTAMP", "DATETIME", "YEAR", "CHAR", "CHARACTER", "VARCHAR",
        "VARCHARACTER", "VARCHAR2", "NCHAR", "NVARCHAR", "NATIONAL", "BINARY", "VARBINARY", "TINYBLOB", "BLOB",
        "MEDIUMBLOB", "LONGBLOB", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT", "LONG", "ENUM", "SET", "JSON",
        "GEOMETRY", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON",
        "GEOMETRYCOLLECTION", "GEOMCOLLECTION", "UUID", "INET4", "INET6", "VECTOR", "RAW", "CLOB", "XMLTYPE", "ROW",
    };

    private ColumnDefinition ColumnDefinitionClause()
    {
        var name = Identifier();
        var type = DataTypeClause();
        return ColumnAttributes(new ColumnDefinition(name, type));
    }

    private DataType DataTypeClause()
    {
        var token = Cur;
        if (token.Kind != TokenKind.Word || !TypeNames.Contains(token.Text(_s)))
            throw Unexpected("a data type");
        var name = Word();
        switch (name)
        {
            case "DOUBLE":
                if (Accept("PRECISION")) name = "DOUBLE PRECISION";
                break;
            case "LONG":
                if (Accept("VARBINARY")) name = "LONG VARBINARY";
                else if (Accept("VARCHAR")) name = "LONG VARCHAR";
                else if (Is("CHAR") && IsAt(1, "VARYING")) { _i += 2; name = "LONG CHAR VARYING"; }
                break;
            case "CHAR" or "CHARACTER":
                if (Accept("VARYING")) name += " VARYING";
                break;
            case "NATIONAL":
                if (Accept("VARCHAR")) name = "NATIONAL VARCHAR";
                else if (Accept("CHAR")) name = Accept("VARYING") ? "NATIONAL CHAR VARYING" : "NATIONAL CHAR";
                else if (Accept("CHARACTER")) name = Accept("VARYING") ? "NATIONAL CHARACTER VARYING" : "NATIONAL CHARACTER";
                else throw Unexpected("CHAR or VARCHAR");
                break;
            case "NCHAR":
                if (Accept("VARCHAR")) name = "NCHAR VARCHAR";
                else if (Accept("VARYING")) name = "NCHAR VARYING";
                break;
        }

        int? length = null, scale = null;
        SqlList<string>? values = null;
        if (name is "ENUM" or "SET")
        {
            ExpectSym("(");
            var list = new List<string>();
            do list.Add(StringLiteral());
            while (AcceptSym(","));
            ExpectSym(")");
            values = list.ToSqlList();
        }
        else if (AcceptSym("("))
        {
            length = Integer();
            if (AcceptSym(",")) scale = Integer();
            ExpectSym(")");
        }

        var type = new DataType(name, length, scale, values);
        while (true)
        {
            if (Accept("UNSIGNED")) type = type with { Unsigned = true };
            else if (Accept("SIGNED")) type = type with { Signed = true };
            else if (Accept("ZEROFILL")) type = type with { Zerofill = true };
            else if (Accept("BINARY")) type = type with { Binary = true };
            else if (Accept("ASCII")) type = type with { Charset = "latin1" };
            else if (Accept("UNICODE")) type = type with { Charset = "ucs2" };
            else if (Accept("BYTE")) type = type with { Charset = "binary" };
            else if (Accept("CHARACTER", "SET") || Accept("CHARSET")) type = type with { Charset = CharsetName() };
            else if (Is("COLLATE") && type.Collation == null && type.Charset != null)
            {
                Advance();
                type = type with { Collation = CharsetName() };
            }
            else return type;
        }
    }

    private ColumnDefinition ColumnAttributes(ColumnDefinition column)
    {
        while (true)
        {
            var token = Cur;
            if (token.Kind != TokenKind.Word) return column;
            switch (token.Canonical)
            {
                case "NOT":
                    if (IsAt(1, "NULL")) { _i += 2; column = column with { Nullable = false }; continue; }
                    Advance();
                    throw Unexpected("NULL");
                case "NULL":
                    Advance();
                    column = column with { Nullable = true };
                    continue;
                case "DEFAULT":
                    Advance();
                    column = column with { Default = DefaultValue() };
                    continue;
                case "ON":
                    if (!IsAt(1, "UPDATE")) return column;
                    _i += 2;
                    column = column with { OnUpdate = DefaultValue() };
                    continue;
                case "AUTO_INCREMENT":
                    Advance();
                    column = column with { AutoIncrement = true };
                    continue;
                case "UNIQUE":
                    Advance();
                    Accept("KEY");
                    column = column with { Key = ColumnKey.Unique };
                    continue;
                case "PRIMARY":
                    Advance();
                    Expect("KEY");
                    column = column with { Key = ColumnKey.Primary };
                    continue;
                case "KEY":
                    Advance();
                    column = column with { Key = ColumnKey.Primary };
                    continue;
                case "COMMENT":
                    Advance();
                    column = column with { Comment = StringLiteral() };
                    continue;
                case "COLLATE":
                    Advance();
                    column = column with { Collation = CharsetName() };
                    continue;
                case "GENERATED":
                    Advance();
                    Expect("ALWAYS");
                    Expect("AS");
                    column = column with { Generated = GeneratedTail(true) };
                    continue;
                case "AS":
                    Advance();
                    column = column with { Generated = GeneratedTail(false) };
                    continue;
                case "VISIBLE":
                    Advance();
                    column = column with { Visible = true };
                    continue;
                case "INVISIBLE":
                    Advance();
                    column = column with { Visible = false };
                    continue;
                case "COLUMN_FORMAT":
                    Advance();
                    column = column with { ColumnFormat = Word() };
                    continue;
                case "STORAGE":
                    Advance();
                    column = column with { Storage = Word() };
                    continue;
                case "SRID":
                    Advance();
                    column = column with { Srid = Integer() };
                    continue;
                case "COMPRESSED":
                    Advance();
                    if (AcceptSym("=")) Word();
                    column = column with { Compressed = true };
                    continue;
                case "SERIAL":
                    if (!IsAt(1, "DEFAULT")) return column;
                    _i += 2;
                    Expect("VALUE");
                    column = column with { SerialDefaultValue = true };
                    continue;
                case "CONSTRAINT":
                case "CHECK":
                {
                    string? name = null;
                    if (Accept("CONSTRAINT"))
                    {
                        name = "";
                        if (!Is("CHECK")) name = Identifier();
                    }
                    Expect("CHECK");
                    var expression = ParenthesizedExpression();
                    column = column with { Check = new CheckConstraint(name, expression, Enforcement()) };
                    continue;
                }
                case "REFERENCES":
                    column = column with { References = ReferenceClause() };
                    continue;
                case "WITHOUT":
                    if (!IsAt(1, "SYSTEM")) return column;
                    _i += 2;
                    Expect("VERSIONING");
                    column = column with { WithoutSystemVersioning = true };
                    continue;
                case "ENGINE_ATTRIBUTE":
                    Advance();
                    AcceptEquals();
                    column = column with { EngineAttribute = StringLiteral() };
                    continue;
                default:
                    if (token.IsWord("VALUE", _s)) return column;
                    return column;
            }
        }
    }

    private GeneratedColumn GeneratedTail(bool always)
    {
        if (Is("ROW") && (IsAt(1, "START") || IsAt(1, "END")))
        {
            Advance();
            var start = Word() == "START";
            return new GeneratedColumn(new SqlExpression(start ? "ROW START" : "ROW END"), start ? GeneratedStorage.RowStart : GeneratedStorage.RowEnd, always);
        }
        var expression = ParenthesizedExpression();
        var storage = GeneratedStorage.Virtual;
        if (Accept("STORED") || Accept("PERSISTENT")) storage = GeneratedStorage.Stored;
        else Accept("VIRTUAL");
        return new GeneratedColumn(expression, storage, always);
    }
}
