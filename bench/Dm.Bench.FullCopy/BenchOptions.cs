using System.Globalization;

namespace Dm.Bench.FullCopy;

/// <summary>Command line: <c>--table-size N</c> (rows per sysbench table, 4 tables), <c>--threads N</c>, <c>--file-mode</c> (also time DM# through files), <c>--on-duplicate replace|ignore|error</c> (DM# loader mode, default replace), <c>--statement-size BYTES</c> (DM# INSERT size, default 1000000), <c>--extra-args "ARGS"</c> (DM#'s mydumpers extra-args, e.g. "--filetype csv", which copies through CSV files), <c>--also-env NAME=VALUE[,NAME=VALUE]</c> (repeatable: one more DM# streaming run with those environment variables, e.g. DM_DEFER_INDEXES=0, to compare a change within one run), <c>--warm-up</c> (an untimed DM# copy first, warming the JIT as a long-running worker's later tasks find it; off by default, so the figure is a user's first task).</summary>
internal sealed record BenchOptions(int TableSize, int Threads, bool AlsoFileMode, string OnDuplicate, ulong StatementSize, string ExtraArgs,
    IReadOnlyList<string> AlsoEnv, bool WarmUp)
{
    public const int Tables = 4;

    public static BenchOptions Parse(string[] args)
    {
        // ~190 bytes of row text each: 4 x 660k rows is about 500 MB.
        int tableSize = 660_000, threads = 4;
        var fileMode = false;
        var onDuplicate = "replace";
        ulong statementSize = 0;
        var extraArgs = "";
        var alsoEnv = new List<string>();
        var warmUp = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--table-size": tableSize = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--file-mode": fileMode = true; break;
                case "--on-duplicate": onDuplicate = args[++i]; break;
                case "--statement-size": statementSize = ulong.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--extra-args": extraArgs = args[++i]; break;
                case "--also-env": alsoEnv.Add(args[++i]); break;
                case "--warm-up": warmUp = true; break;
                default: throw new ArgumentException($"unknown option {args[i]} (--table-size N, --threads N, --file-mode, --on-duplicate MODE, --statement-size BYTES, --extra-args ARGS, --also-env NAME=VALUE[,NAME=VALUE], --warm-up)");
            }
        }
        return new BenchOptions(tableSize, threads, fileMode, onDuplicate, statementSize, extraArgs, alsoEnv, warmUp);
    }
}
