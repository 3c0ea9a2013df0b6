namespace Dm.Core.Rules;

/// <summary>A wildcard character class such as [a-z0-9] or [!_] (negated).</summary>
public sealed class CharRange
{
    private readonly List<(char Start, char End)> _spans;

    private CharRange(bool negated, List<(char, char)> spans)
    {
        Negated = negated;
        _spans = spans;
    }

    public bool Negated { get; }

    /// <summary>Parses the class starting at pattern[start] == '['; false when there is no closing ']' (then '[' is literal).</summary>
    public static bool TryParse(string pattern, int start, out CharRange range, out int end)
    {
        range = null!;
        end = pattern.IndexOf(']', start);
        if (end < 0)
            return false;
        var i = start + 1;
        var negated = false;
        if (i < end && pattern[i] == '!')
        {
            negated = true;
            i++;
        }
        var spans = new List<(char, char)>();
        for (; i < end; i++)
        {
            if (i + 2 < end && pattern[i + 1] == '-')
            {
                spans.Add((pattern[i], pattern[i + 2]));
                i += 2;
            }
            else
                spans.Add((pattern[i], pattern[i]));
        }
        // "[!]" means a literal '!', as in DM.
        if (spans.Count == 0 && negated)
        {
            negated = false;
            spans.Add(('!', '!'));
        }
        range = new CharRange(negated, spans);
        return true;
    }

    public bool Matches(char c)
    {
        foreach (var (s, e) in _spans)
        {
            if (s <= c && c <= e)
                return !Negated;
        }
        return Negated;
    }

    public bool SameAs(CharRange other) => Negated == other.Negated && Covers(other) && other.Covers(this);

    private bool Covers(CharRange other) =>
        other._spans.All(o => _spans.Any(s => s.Start <= o.Start && o.End <= s.End));
}
