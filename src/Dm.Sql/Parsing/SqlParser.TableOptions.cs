using Dm.Sql.Ast;
using Dm.Sql.Lexing;

namespace Dm.Sql.Parsing;

/// <summary>Table options: ENGINE=, DEFAULT CHARSET=, COMMENT=, UNION=(...), engine-defined name=value...</summary>
public sealed partial class SqlParser
{
    /// <summary>Options separated by blanks or commas; stops before anything that is not an option.</summary>
    private SqlList<TableOption> TableOptions(bool stopAtComma = false)
    {
        List<TableOption>? options = null;
        while (true)
        {
            if (!stopAtComma && options != null && IsSym(",") && IsTableOptionStart(1)) Advance();
            if (!IsTableOptionStart(0)) return options?.ToSqlList() ?? SqlList<TableOption>.Empty;
            (options ??= []).Add(TableOptionClause());
        }
    }

    private bool IsTableOptionStart(int offset)
    {
        var token = PeekAt(offset);
        // engine-defined options as SHOW CREATE TABLE prints them: `PAGE_COMPRESSED`='1'
        if (token.Kind == TokenKind.QuotedIdentifier) return PeekAt(offset + 1).IsSymbol("=");
        if (token.Kind != TokenKind.Word) return false;
        switch (token.Canonical)
        {
            case "DEFAULT":
                var next = PeekAt(offset + 1);
                return next.IsWord("CHARACTER", _s) || next.IsWord("CHARSET", _s) || next.IsWord("COLLATE", _s);
            case "CHARACTER":
                return PeekAt(offset + 1).IsWord("SET", _s);
            case "CHARSET" or "COLLATE" or "UNION" or "TABLESPACE":
                return true;
            case "DATA" or "INDEX":
                return PeekAt(offset + 1).IsWord("DIRECTORY", _s);
            case "WITH":
                return PeekAt(offset + 1).IsWord("SYSTEM", _s);
            case "START":
                return PeekAt(offset + 1).IsWord("TRANSACTION", _s);
            case "STORAGE":
                return PeekAt(offset + 1).IsWord("DISK", _s) || PeekAt(offset + 1).IsWord("MEMORY", _s);
        }
        if (token.Canonical != null && Keywords.IsReserved(token.Canonical)) return false;
        // name = value, or a known option written without '='
        var after = PeekAt(offset + 1);
        if (after.IsSymbol("=")) return true;
        return token.Canonical is "ENGINE" or "AUTO_INCREMENT" or "AVG_ROW_LENGTH" or "CHECKSUM" or "COMMENT" or "COMPRESSION"
            or "CONNECTION" or "DELAY_KEY_WRITE" or "ENCRYPTION" or "KEY_BLOCK_SIZE" or "MAX_ROWS" or "MIN_ROWS" or "PACK_KEYS"
            or "ROW_FORMAT" or "STATS_AUTO_RECALC" or "STATS_PERSISTENT" or "STATS_SAMPLE_PAGES" or "ENCRYPTED"
            or "ENCRYPTION_KEY_ID" or "AUTOEXTEND_SIZE" or "ENGINE_ATTRIBUTE"
            || token.IsWord("INSERT_METHOD", _s) || token.IsWord("PASSWORD", _s) || token.IsWord("PAGE_CHECKSUM", _s)
            || token.IsWord("PAGE_COMPRESSED", _s) || token.IsWord("PAGE_COMPRESSION_LEVEL", _s) || token.IsWord("TRANSACTIONAL", _s)
            || token.IsWord("SECONDARY_ENGINE_ATTRIBUTE", _s) || token.IsWord("SECONDARY_ENGINE", _s) || token.IsWord("TABLE_CHECKSUM", _s)
            || token.IsWord("SEQUENCE", _s) || token.IsWord("IETF_QUOTES", _s);
    }

    private TableOption TableOptionClause()
    {
        if (Accept("DEFAULT")) { }
        if (Accept("CHARACTER", "SET") || Accept("CHARSET"))
        {
            AcceptEquals();
            return new TableOption("CHARACTER SET", CharsetName(), false);
        }
        if (Accept("COLLATE"))
        {
            AcceptEquals();
            return new TableOption("COLLATE", CharsetName(), false);
        }
        if (Accept("DATA", "DIRECTORY") || Accept("INDEX", "DIRECTORY"))
        {
            var name = PeekAt(-2).IsWord("DATA", _s) ? "DATA DIRECTORY" : "INDEX DIRECTORY";
            AcceptEquals();
            return new TableOption(name, StringLiteral(), true);
        }
        if (Accept("WITH", "SYSTEM"))
        {
            Expect("VERSIONING");
            return new TableOption("WITH SYSTEM VERSIONING", "", false);
        }
        if (Accept("START", "TRANSACTION")) return new TableOption("START TRANSACTION", "", false);
        if (Accept("UNION"))
        {
            AcceptEquals();
            ExpectSym("(");
            var tables = IsSym(")") ? [] : TableNameList();
            ExpectSym(")");
            return new TableOption("UNION", "", false, tables.ToSqlList());
        }
        if (Accept("STORAGE")) return new TableOption("STORAGE", Word(), false);

        var optionName = Cur.Kind == TokenKind.QuotedIdentifier ? AnyName().ToUpperInvariant() : Word();
        if (optionName == "TABLESPACE" && !IsSym("="))
        {
            var space = AnyName();
            return new TableOption("TABLESPACE", space, false);
        }
        AcceptEquals();
        return OptionValue(optionName);
    }

    /// <summary>A single-token option value: word, number, string, quoted name or DEFAULT.</summary>
    private TableOption OptionValue(string name)
    {
        var token = Cur;
        switch (token.Kind)
        {
            case TokenKind.String:
                return new TableOption(name, StringLiteral(), true);
            case TokenKind.Number:
                Advance();
                return new TableOption(name, token.Text(_s), false);
            case TokenKind.Word:
                Advance();
                return new TableOption(name, token.Text(_s), false);
            case TokenKind.QuotedIdentifier:
                Advance();
                return new TableOption(name, TokenText.Identifier(token, _s), false);
            default:
                throw Unexpected($"a value for {name}");
        }
    }

    // ---- partitioning ----

    private PartitionOptions PartitionOptions()
    {
        Expect("PARTITION");
        Expect("BY");
        var (method, expression, columns, algorithm) = PartitionMethodClause(sub: false);
        int? count = null;
        if (Accept("PARTITIONS")) count = Integer();
        PartitionMethod? subMethod = null;
        SqlExpression? subExpression = null;
        var subColumns = SqlList<string>.Empty;
        int? subAlgorithm = null, subCount = null;
        if (Accept("SUBPARTITION"))
        {
            Expect("BY");
            (subMethod, subExpression, subColumns, subAlgorithm) = PartitionMethodClause(sub: true);
            if (Accept("SUBPARTITIONS")) subCount = Integer();
        }
        var partitions = SqlList<PartitionDefinition>.Empty;
        if (IsSym("(") && IsAt(1, "PARTITION")) partitions = PartitionDefinitionList();
        return new PartitionOptions(method, expression, columns, algorithm, count, subMethod, subExpression, subColumns,
            subAlgorithm, subCount, partitions);
    }

    private (PartitionMethod, SqlExpression?, SqlList<string>, int?) PartitionMethodClause(bool sub)
    {
        var linear = Accept("LINEAR");
        if (Accept("HASH")) return (new PartitionMethod(linear ? "LINEAR HASH" : "HASH"), ParenthesizedExpression(), SqlList<string>.Empty, null);
        if (Accept("KEY"))
        {
            int? algorithm = null;
            if (Accept("ALGORITHM"))
            {
                ExpectSym("=");
                algorithm = Integer();
            }
            ExpectSym("(");
            var columns = IsSym(")") ? [] : IdentifierList();
            ExpectSym(")");
            return (new PartitionMethod(linear ? "LINEAR KEY" : "KEY"), null, columns.ToSqlList(), algorithm);
        }
        if (linear || sub) throw Unexpected("HASH or KEY");
        if (Is("RANGE") || Is("LIST"))
        {
            var kind = Word();
            if (Accept("COLUMNS"))
                return (new PartitionMethod(kind + " COLUMNS"), null, ParenthesizedIdentifierList().ToSqlList(), null);
            return (new PartitionMethod(kind), ParenthesizedExpression(), SqlList<string>.Empty, null);
        }
        if (Accept("SYSTEM_TIME"))
        {
            SqlExpression? detail = null;
            if (!IsSym("(") && !Is("PARTITIONS") && !Is("SUBPARTITION") && !IsSym(";") && Cur.Kind != TokenKind.End)
                detail = ExpressionUntil(() => Is("PARTITIONS") || Is("SUBPARTITION"));
            return (new PartitionMethod("SYSTEM_TIME"), detail, SqlList<string>.Empty, null);
        }
        throw Unexpected("HASH, KEY, RANGE, LIST or SYSTEM_TIME");
    }

    private SqlList<PartitionDefinition> PartitionDefinitionList()
    {
        ExpectSym("(");
        var list = new List<PartitionDefinition>();
        do list.Add(PartitionDefinitionClause(sub: false));
        while (AcceptSym(","));
        ExpectSym(")");
        return list.ToSqlList();
    }

    private PartitionDefinition PartitionDefinitionClause(bool sub)
    {
        Expect(sub ? "SUBPARTITION" : "PARTITION");
        var name = Identifier();
        var kind = PartitionValuesKind.None;
        var values = SqlList<SqlExpression>.Empty;
        if (!sub && Accept("VALUES"))
        {
            if (Accept("LESS"))
            {
                Expect("THAN");
                if (Accept("MAXVALUE")) kind = PartitionValuesKind.LessThanMaxValue;
                else
                {
                    kind = PartitionValuesKind.LessThan;
                    values = ValueList();
                }
            }
            else
            {
                Expect("IN");
                kind = PartitionValuesKind.In;
                values = ValueList();
            }
        }
        else if (!sub && Accept("HISTORY")) kind = PartitionValuesKind.History;
        else if (!sub && Accept("CURRENT")) kind = PartitionValuesKind.Current;

        var options = new List<TableOption>();
        while (true)
        {
            if (Accept("STORAGE") || Is("ENGINE"))
            {
                Expect("ENGINE");
                AcceptEquals();
                options.Add(OptionValue("ENGINE"));
            }
            else if (Accept("COMMENT"))
            {
                AcceptEquals();
                options.Add(new TableOption("COMMENT", StringLiteral(), true));
            }
            else if (Accept("DATA", "DIRECTORY") || Accept("INDEX", "DIRECTORY"))
            {
                var optionName = PeekAt(-2).IsWord("DATA", _s) ? "DATA DIRECTORY" : "INDEX DIRECTORY";
                AcceptEquals();
                options.Add(new TableOption(optionName, StringLiteral(), true));
            }
            else if (Is("MAX_ROWS") || Is("MIN_ROWS") || Is("TABLESPACE") || Is("NODEGROUP"))
            {
                var optionName = Word();
                AcceptEquals();
                options.Add(OptionValue(optionName));
            }
            else break;
        }
        var subpartitions = SqlList<PartitionDefinition>.Empty;
        if (!sub && IsSym("(") && IsAt(1, "SUBPARTITION"))
        {
            Advance();
            var list = new List<PartitionDefinition>();
            do list.Add(PartitionDefinitionClause(sub: true));
            while (AcceptSym(","));
            ExpectSym(")");
            subpartitions = list.ToSqlList();
        }
        return new PartitionDefinition(name, kind, values, options.ToSqlList(), subpartitions);
    }

    /// <summary>( expr, expr, ... ) where an expr may itself be a parenthesised tuple.</summary>
    private SqlList<SqlExpression> ValueList()
    {
        ExpectSym("(");
        var values = new List<SqlExpression>();
        do values.Add(ExpressionUntil());
        while (AcceptSym(","));
        ExpectSym(")");
        return values.ToSqlList();
    }
}
