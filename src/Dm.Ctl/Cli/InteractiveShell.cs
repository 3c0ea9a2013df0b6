using System.Text;

namespace Dm.Ctl.Cli;

/// <summary>
/// dmctl with no command: DM's interactive mode. Reads one command per line (prompt "» "), runs it with the
/// global flags given at start-up, and stops at "exit" or end of input.
/// </summary>
public static class InteractiveShell
{
    public static async Task<int> RunAsync(IReadOnlyList<string> globalArgs, TextReader input, TextWriter stdout, TextWriter stderr,
        CancellationToken ct)
    {
        var last = 0;
        while (!ct.IsCancellationRequested)
        {
            stdout.Write("» ");
            stdout.Flush();
            var line = await input.ReadLineAsync(ct);
            if (line == null) break;
            var words = Split(line);
            if (words.Count == 0) continue;
            if (words is ["exit"] or ["quit"]) break;
            last = await DmctlApplication.RunAsync([.. globalArgs, .. words], stdout, stderr, ct, interactive: false);
        }
        return last;
    }

    /// <summary>Splits a line into words the way a shell would for simple quoting ('...', "...", backslash).</summary>
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != null)
            {
                if (c == quote) quote = null;
                else if (c == '\\' && quote == '"' && i + 1 < line.Length) word.Append(line[++i]);
                else word.Append(c);
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                word.Append(line[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
