using System.Text;

namespace Dm.Master.Precheck.Privileges;

/// <summary>
/// Parses the lines SHOW GRANTS prints on MySQL 5.6–8.x and MariaDB 10.x: privilege grants at global, database
/// and table level (column lists included), role grants, PROXY grants and MySQL's partial REVOKE lines.
/// </summary>
public static class GrantParser
{
    private enum Kind { Word, Identifier, String, Symbol }

    private readonly record struct Token(Kind Kind, string Text)
    {
        public bool IsWord(string word) => Kind == Kind.Word && Text.Equals(word, StringComparison.OrdinalIgnoreCase);
        public bool IsSymbol(char c) => Kind == Kind.Symbol && Text.Length == 1 && Text[0] == c;
        public bool IsName => Kind is Kind.Word or Kind.Identifier or Kind.String;
    }

    /// <summary>Parses one line; throws <see cref="FormatException"/> naming the line when it is not a grant.</summary>
    public static GrantStatement Parse(string line)
    {
        var tokens = Tokenize(line);
        if (tokens.Count == 0 || !(tokens[0].IsWord("GRANT") || tokens[0].IsWord("REVOKE")))
            throw new FormatException($"{line} is not grant statement");
        var isGrant = tokens[0].IsWord("GRANT");
        int on = -1, to = -1, depth = 0;
        for (var i = 1; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.IsSymbol('(')) depth++;
            else if (t.IsSymbol(')')) depth--;
            else if (depth == 0 && on < 0 && to < 0 && t.IsWord("ON")) on = i;
            else if (depth == 0 && to < 0 && (t.IsWord("TO") || t.IsWord("FROM"))) { to = i; break; }
        }
        if (to < 0) throw new FormatException($"grant has no user {line}");
        if (on < 0) return new GrantStatement { IsGrant = isGrant, Level = GrantLevel.Other, Roles = ParseRoles(tokens, 1, to, line) };

        var privileges = ParsePrivileges(tokens, 1, on, line);
        if (privileges.Any(p => p.Name == "PROXY"))
            return new GrantStatement { IsGrant = isGrant, Level = GrantLevel.Other, Privileges = privileges };
        var (level, database, table) = ParseLevel(tokens, on + 1, to, line);
        return new GrantStatement { IsGrant = isGrant, Level = level, Database = database, Table = table, Privileges = privileges };
    }

    private static List<GrantedPrivilege> ParsePrivileges(List<Token> tokens, int from, int until, string line)
    {
        var result = new List<GrantedPrivilege>();
        var words = new List<string>();
        var columns = new List<string>();
        var inColumns = false;
        for (var i = from; i <= until; i++)
        {
            var end = i == until;
            var t = end ? default : tokens[i];
            if (end || (!inColumns && t.IsSymbol(',')))
            {
                if (words.Count == 0) throw new FormatException($"cannot read the privilege list of {line}");
                result.Add(new GrantedPrivilege(string.Join(' ', words).ToUpperInvariant(), columns.ToArray()));
                words.Clear();
                columns.Clear();
                continue;
            }
            if (t.IsSymbol('(')) inColumns = true;
            else if (t.IsSymbol(')')) inColumns = false;
            else if (inColumns) { if (t.IsName) columns.Add(t.Text); }
            else if (t.Kind == Kind.Word) words.Add(t.Text);
            else throw new FormatException($"unexpected '{t.Text}' in the privilege list of {line}");
        }
        return result;
    }

    private static (GrantLevel, string, string) ParseLevel(List<Token> tokens, int from, int until, string line)
    {
        var i = from;
        if (i < until && tokens[i].IsWord("TABLE")) i++;
        else if (i < until && (tokens[i].IsWord("FUNCTION") || tokens[i].IsWord("PROCEDURE") || tokens[i].IsWord("PACKAGE")))
            return (GrantLevel.Other, "", "");
        var parts = new List<Token>();
        for (; i < until; i++)
            if (!tokens[i].IsSymbol('.')) parts.Add(tokens[i]);
        static bool Star(Token t) => t.IsSymbol('*');
        return parts.Count switch
        {
            1 => (GrantLevel.Other, "", ""), // ON * or ON tbl: relative to a current database we do not know
            2 when Star(parts[0]) && Star(parts[1]) => (GrantLevel.Global, "", ""),
            2 when parts[0].IsName && Star(parts[1]) => (GrantLevel.Database, parts[0].Text, ""),
            2 when parts[0].IsName && parts[1].IsName => (GrantLevel.Table, parts[0].Text, parts[1].Text),
            _ => throw new FormatException($"cannot read the grant level of {line}"),
        };
    }

    private static List<(string, string?)> ParseRoles(List<Token> tokens, int from, int until, string line)
    {
        var roles = new List<(string, string?)>();
        for (var i = from; i < until; i++)
        {
            var t = tokens[i];
            if (t.IsSymbol(',')) continue;
            if (!t.IsName) throw new FormatException($"cannot read the roles of {line}");
            string? host = null;
            if (i + 2 < until && tokens[i + 1].IsSymbol('@') && tokens[i + 2].IsName)
            {
                host = tokens[i + 2].Text;
                i += 2;
            }
            roles.Add((t.Text, host));
        }
        return roles;
    }

    private static List<Token> Tokenize(string line)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '`' or '\'' or '"')
            {
                var (text, next) = ReadQuoted(line, i, c);
                tokens.Add(new Token(c == '`' ? Kind.Identifier : Kind.String, text));
                i = next;
                continue;
            }
            if (char.IsLetterOrDigit(c) || c is '_' or '$' || c > 127)
            {
                var start = i;
                while (i < line.Length && (char.IsLetterOrDigit(line[i]) || line[i] is '_' or '$' || line[i] > 127)) i++;
                tokens.Add(new Token(Kind.Word, line[start..i]));
                continue;
            }
            tokens.Add(new Token(Kind.Symbol, c.ToString()));
            i++;
        }
        return tokens;
    }

    /// <summary>Reads a quoted token; the quote char doubled stands for itself, and strings also know backslash escapes.</summary>
    private static (string, int) ReadQuoted(string line, int start, char quote)
    {
        var text = new StringBuilder();
        var i = start + 1;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == quote)
            {
                if (i + 1 < line.Length && line[i + 1] == quote) { text.Append(quote); i += 2; continue; }
                return (text.ToString(), i + 1);
            }
            if (c == '\\' && quote != '`' && i + 1 < line.Length) { text.Append(line[i + 1]); i += 2; continue; }
            text.Append(c);
            i++;
        }
        throw new FormatException($"unterminated {quote} in {line}");
    }
}
