using Dm.Ctl.Cli;
using Dm.Ctl.Output;

namespace Dm.Ctl.Tests;

public sealed class ArgumentParserTests
{
    private static readonly FlagSpec[] Specs =
    [
        FlagSpec.List("source", "s", ""),
        FlagSpec.Bool("remove-meta", null, ""),
        FlagSpec.Value("start-time", null, ""),
        FlagSpec.Value("master-addr", null, ""),
    ];

    [Fact]
    public void FlagsMayAppearAnywhereInEveryCobraForm()
    {
        var parsed = ArgumentParser.Parse(["task.yaml", "-s", "a,b", "--source=c", "-master-addr", "h:1", "--remove-meta", "--start-time=2021-10-21 00:01:00"], Specs);
        Assert.Equal(["task.yaml"], parsed.Positional);
        Assert.Equal(["a", "b", "c"], parsed.List("source"));
        Assert.Equal("h:1", parsed.Value("master-addr"));
        Assert.True(parsed.Bool("remove-meta"));
        Assert.Equal("2021-10-21 00:01:00", parsed.Value("start-time"));
    }

    [Fact]
    public void BoolFlagsTakeExplicitValuesAndDoubleDashEndsFlags()
    {
        var parsed = ArgumentParser.Parse(["--remove-meta=false", "--", "-s"], Specs);
        Assert.False(parsed.Bool("remove-meta"));
        Assert.Equal(["-s"], parsed.Positional);
        Assert.Throws<CtlException>(() => ArgumentParser.Parse(["--remove-meta=maybe"], Specs).Bool("remove-meta"));
    }

    [Fact]
    public void UnknownFlagsAndMissingValuesFail()
    {
        Assert.Contains("unknown flag: --nope", Assert.Throws<CtlException>(() => ArgumentParser.Parse(["--nope"], Specs)).Message);
        Assert.Contains("needs an argument", Assert.Throws<CtlException>(() => ArgumentParser.Parse(["--start-time"], Specs)).Message);
    }
}

public sealed class InteractiveShellTests
{
    [Theory]
    [InlineData("query-status task", new[] { "query-status", "task" })]
    [InlineData("  binlog-schema update t 'my db' \"tb \\\"1\\\"\"  ", new[] { "binlog-schema", "update", "t", "my db", "tb \"1\"" })]
    [InlineData("start-task --start-time '2021-10-21 00:01:00' a\\ b.yaml", new[] { "start-task", "--start-time", "2021-10-21 00:01:00", "a b.yaml" })]
    [InlineData("x ''", new[] { "x", "" })]
    public void SplitsLikeAShell(string line, string[] words) => Assert.Equal(words, Dm.Ctl.Cli.InteractiveShell.Split(line));
}
