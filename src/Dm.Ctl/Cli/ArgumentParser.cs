using Dm.Ctl.Output;

namespace Dm.Ctl.Cli;

/// <summary>
/// Parses flags the way cobra/pflag does for dmctl: <c>--name value</c>, <c>--name=value</c>, <c>-n value</c>,
/// single-dash long names (<c>-master-addr</c>, accepted by DM for compatibility), flags anywhere among the
/// positional arguments, and <c>--</c> ending the flags.
/// </summary>
public static class ArgumentParser
{
    public static ParsedArguments Parse(IReadOnlyList<string> args, IReadOnlyCollection<FlagSpec> specs)
    {
        var parsed = new ParsedArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                parsed.Positional.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.Length < 2 || arg[0] != '-' || IsNegativeNumber(arg))
            {
                parsed.Positional.Add(arg);
                continue;
            }
            var body = arg.TrimStart('-');
            string? inline = null;
            var eq = body.IndexOf('=');
            if (eq >= 0) (body, inline) = (body[..eq], body[(eq + 1)..]);
            var spec = Find(specs, body, singleDash: !arg.StartsWith("--", StringComparison.Ordinal))
                       ?? throw CtlException.Usage($"unknown flag: {arg}");
            if (spec.Kind == FlagKind.Bool)
            {
                parsed.Add(spec.Long, inline ?? "true");
                continue;
            }
            if (inline == null)
            {
                if (i + 1 >= args.Count) throw CtlException.Usage($"flag needs an argument: {arg}");
                inline = args[++i];
            }
            parsed.Add(spec.Long, inline);
        }
        return parsed;
    }

    private static FlagSpec? Find(IReadOnlyCollection<FlagSpec> specs, string name, bool singleDash) =>
        specs.FirstOrDefault(s => s.Long == name)
        ?? (singleDash ? specs.FirstOrDefault(s => s.Short == name) : null);

    private static bool IsNegativeNumber(string arg) => arg.Length > 1 && arg[0] == '-' && char.IsDigit(arg[1]);
}
