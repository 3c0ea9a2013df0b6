using Dm.Sql.Ast;
using Dm.Sql.Lexing;

namespace Dm.Sql.Parsing;

/// <summary>CREATE TABLE: element list, LIKE, table options, partitioning, ... SELECT.</summary>
public sealed partial class SqlParser
{
    private Statement ParseCreateTable(bool orReplace, bool temporary)
    {
        Expect("TABLE");
        var ifNotExists = AcceptIfNotExists();
        var table = TableName();

        if (Accept("LIKE")) return LikeTail(table, orReplace, temporary, ifNotExists, parenthesized: false);
        if (IsSym("(") && IsAt(1, "LIKE"))
        {
            Advance();
            Advance();
            return LikeTail(table, orReplace, temporary, ifNotExists, parenthesized: true);
        }

        var elements = SqlList<TableElement>.Empty;
        if (IsSym("(") && !IsQueryStartAt(1))
        {
            Advance();
            var list = new List<TableElement>();
            do list.Add(TableElementDefinition(inAlter: false));
            while (AcceptSym(","));
            ExpectSym(")");
            elements = list.ToSqlList();
        }
        var options = TableOptions();
        PartitionOptions? partitioning = null;
        if (Is("PARTITION") && IsAt(1, "BY")) partitioning = PartitionOptions();

        string? duplicate = null;
        if (Is("IGNORE") || Is("REPLACE")) duplicate = Word();
        Accept("AS");
        SqlQuery? select = null;
        if (IsQueryStartAt(0)) select = QueryText();
        else if (duplicate != null) throw Unexpected("SELECT");
        if (elements.Count == 0 && select == null) throw Unexpected("'(' or LIKE or SELECT");
        return new CreateTableStatement(table, orReplace, temporary, ifNotExists, elements, options, partitioning, null, duplicate, select);
    }

    private Statement LikeTail(TableName table, bool orReplace, bool temporary, bool ifNotExists, bool parenthesized)
    {
        var like = TableName();
        if (parenthesized) ExpectSym(")");
        return new CreateTableStatement(table, orReplace, temporary, ifNotExists, SqlList<TableElement>.Empty,
            SqlList<TableOption>.Empty, null, like, null, null);
    }

    private bool IsQueryStartAt(int offset)
    {
        var token = PeekAt(offset);
        if (token.IsWord("SELECT", _s) || token.IsWord("WITH", _s) || token.IsWord("VALUES", _s) || token.IsWord("TABLE", _s)) return true;
        // ( SELECT ...
        return token.IsSymbol("(") && (PeekAt(offset + 1).IsWord("SELECT", _s) || PeekAt(offset + 1).IsWord("WITH", _s));
    }

    /// <summary>One element of CREATE TABLE ( ... ) or the object of ALTER TABLE ADD.</summary>
    private TableElement TableElementDefinition(bool inAlter)
    {
        if (Is("CONSTRAINT"))
        {
            Advance();
            string? symbol = null;
            if (Is("IF") && IsAt(1, "NOT")) return ConstraintBody(null, true, AcceptIfNotExists(), inAlter);
            if (IsIdentifier(Cur) && !Is("PRIMARY") && !Is("UNIQUE") && !Is("FOREIGN") && !Is("CHECK")) symbol = Identifier();
            return ConstraintBody(symbol, true, false, inAlter);
        }
        if (Is("PRIMARY") || Is("UNIQUE") || Is("FOREIGN") || Is("CHECK") || Is("INDEX") || Is("KEY") || Is("FULLTEXT") || Is("SPATIAL")
            || IsVectorIndexStart())
            return ConstraintBody(null, false, false, inAlter);
        if (Is("PERIOD") && IsAt(1, "FOR"))
        {
            _i += 2;
            var name = AnyName();
            ExpectSym("(");
            var start = Identifier();
            ExpectSym(",");
            var end = Identifier();
            ExpectSym(")");
            return new PeriodDefinition(name, start, end);
        }
        return ColumnDefinitionClause();
    }

    private TableElement ConstraintBody(string? symbol, bool hasConstraint, bool ifNotExists, bool inAlter)
    {
        if (Accept("PRIMARY"))
        {
            Expect("KEY");
            return IndexTail(IndexKind.Primary, symbol, hasConstraint, ifNotExists, allowName: false);
        }
        if (Accept("UNIQUE"))
        {
            if (!Accept("INDEX")) Accept("KEY");
            return IndexTail(IndexKind.Unique, symbol, hasConstraint, ifNotExists, allowName: true);
        }
        if (Accept("FOREIGN"))
        {
            Expect("KEY");
            ifNotExists |= AcceptIfNotExists();
            string? indexName = null;
            if (IsIdentifier(Cur)) indexName = Identifier();
            var columns = ParenthesizedIdentifierList();
            var reference = ReferenceClause();
            return new ForeignKeyDefinition(symbol, indexName, columns.ToSqlList(), reference, ifNotExists);
        }
        if (Accept("CHECK"))
        {
            var expression = ParenthesizedExpression();
            return new CheckConstraint(hasConstraint ? symbol ?? "" : null, expression, Enforcement());
        }
        if (!hasConstraint)
        {
            if (Accept("INDEX") || Accept("KEY")) return IndexTail(IndexKind.Index, null, false, ifNotExists, allowName: true);
            if (Accept("FULLTEXT"))
            {
                if (!Accept("INDEX")) Accept("KEY");
                return IndexTail(IndexKind.Fulltext, null, false, ifNotExists, allowName: true);
            }
            if (Accept("SPATIAL"))
            {
                if (!Accept("INDEX")) Accept("KEY");
                return IndexTail(IndexKind.Spatial, null, false, ifNotExists, allowName: true);
            }
            if (IsVectorIndexStart())
            {
                _i += 2;
                return IndexTail(IndexKind.Vector, null, false, ifNotExists, allowName: true);
            }
        }
        throw Unexpected("PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK");
    }

    /// <summary>MariaDB 11.7 VECTOR INDEX|KEY (VECTOR alone is a column named vector).</summary>
    private bool IsVectorIndexStart() => Is("VECTOR") && (IsAt(1, "INDEX") || IsAt(1, "KEY"));

    private bool? Enforcement()
    {
        if (Accept("ENFORCED")) return true;
        if (Is("NOT") && IsAt(1, "ENFORCED"))
        {
            _i += 2;
            return false;
        }
        return null;
    }

    /// <summary>[IF NOT EXISTS] [name] [USING type] (key parts) [index options].</summary>
    private IndexDefinition IndexTail(IndexKind kind, string? symbol, bool hasConstraint, bool ifNotExists, bool allowName)
    {
        ifNotExists |= AcceptIfNotExists();
        string? name = null;
        if (allowName && !IsSym("(") && !Is("USING") && IsIdentifier(Cur)) name = Identifier();
        string? usingBefore = null;
        if (Accept("USING")) usingBefore = Word();
        var parts = KeyParts();
        var options = IndexOptionList();
        if (usingBefore != null && options.Using == null) options = options with { Using = usingBefore };
        return new IndexDefinition(kind, name, parts, options, symbol, hasConstraint, ifNotExists);
    }

    private SqlList<KeyPart> KeyParts()
    {
        ExpectSym("(");
        var parts = new List<KeyPart>();
        do
        {
            if (IsSym("("))
            {
                var expression = ParenthesizedExpression();
                parts.Add(new KeyPart(null, null, expression, Direction()));
                continue;
            }
            var column = Identifier();
            int? length = null;
            if (AcceptSym("("))
            {
                length = Integer();
                ExpectSym(")");
            }
            parts.Add(new KeyPart(column, length, null, Direction()));
        } while (AcceptSym(","));
        ExpectSym(")");
        return parts.ToSqlList();
    }

    private bool? Direction() => Accept("ASC") ? false : Accept("DESC") ? true : null;

    private IndexOptions IndexOptionList()
    {
        var options = IndexOptions.None;
        while (true)
        {
            if (Accept("KEY_BLOCK_SIZE"))
            {
                AcceptEquals();
                options = options with { KeyBlockSize = Integer() };
            }
            else if (Accept("USING")) options = options with { Using = Word() };
            else if (Accept("WITH", "PARSER")) options = options with { Parser = AnyName() };
            else if (Accept("COMMENT")) options = options with { Comment = StringLiteral() };
            else if (Accept("VISIBLE")) options = options with { Visibility = "VISIBLE" };
            else if (Accept("INVISIBLE")) options = options with { Visibility = "INVISIBLE" };
            else if (Accept("IGNORED")) options = options with { Visibility = "IGNORED" };
            else if (Accept("NOT", "IGNORED")) options = options with { Visibility = "NOT IGNORED" };
            else if (Accept("ENGINE_ATTRIBUTE"))
            {
                AcceptEquals();
                options = options with { EngineAttribute = StringLiteral() };
            }
            else if (Is("CLUSTERING") && PeekAt(1).IsSymbol("="))
            {
                _i += 2;
                options = options with { Clustering = Word() == "YES" };
            }
            else if (Cur.Kind == TokenKind.Word && PeekAt(1).IsSymbol("=") && !Keywords.IsReserved(Cur.Canonical))
            {
                // engine/index-type options such as MariaDB's vector index M=8 DISTANCE=cosine
                var name = Word();
                Advance();
                var extra = new List<TableOption>(options.Extra ?? SqlList<TableOption>.Empty) { OptionValue(name) };
                options = options with { Extra = extra.ToSqlList() };
            }
            else return options;
        }
    }

    private ReferenceDefinition ReferenceClause()
    {
        Expect("REFERENCES");
        var table = TableName();
        var columns = SqlList<string>.Empty;
        if (IsSym("(")) columns = ParenthesizedIdentifierList().ToSqlList();
        string? match = null, onDelete = null, onUpdate = null;
        while (true)
        {
            if (Accept("MATCH")) match = Word();
            else if (Accept("ON", "DELETE")) onDelete = ReferenceAction();
            else if (Accept("ON", "UPDATE")) onUpdate = ReferenceAction();
            else break;
        }
        return new ReferenceDefinition(table, columns, match, onDelete, onUpdate);
    }

    private string ReferenceAction()
    {
        if (Accept("RESTRICT")) return "RESTRICT";
        if (Accept("CASCADE")) return "CASCADE";
        if (Accept("SET", "NULL")) return "SET NULL";
        if (Accept("SET", "DEFAULT")) return "SET DEFAULT";
        if (Accept("NO", "ACTION")) return "NO ACTION";
        throw Unexpected("RESTRICT, CASCADE, SET NULL, SET DEFAULT or NO ACTION");
    }
}
