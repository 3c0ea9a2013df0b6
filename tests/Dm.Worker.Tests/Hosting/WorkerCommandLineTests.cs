using Dm.Core.CommandLine;
using Dm.Worker.Hosting;

namespace Dm.Worker.Tests.Hosting;

/// <summary>
/// The full copy's switches are worker options: on by default, set by a flag or a TOML key, and by
/// DM_STREAM_CSV / DM_DEFER_INDEXES in the environment unless a flag or key says otherwise.
/// </summary>
public sealed class WorkerCommandLineTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Both_switches_are_on_by_default()
    {
        var options = WorkerCommandLine.Parse([], Environment());
        Assert.True(options.StreamCsv);
        Assert.True(options.DeferIndexes);
    }

    [Fact]
    public void Flags_and_keys_turn_them_off_and_on()
    {
        var options = WorkerCommandLine.Parse(["--stream-csv=false", "-defer-indexes=false"], Environment());
        Assert.False(options.StreamCsv);
        Assert.False(options.DeferIndexes);

        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "name = \"w\"\nstream-csv = false\ndefer-indexes = true\n");
            options = WorkerCommandLine.Parse(["--config", file], Environment((WorkerCommandLine.DeferIndexesVariable, "0")));
            Assert.False(options.StreamCsv);
            Assert.True(options.DeferIndexes);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_environment_turns_them_off_unless_a_flag_says_otherwise()
    {
        var environment = Environment((WorkerCommandLine.StreamCsvVariable, "0"), (WorkerCommandLine.DeferIndexesVariable, "0"));
        var options = WorkerCommandLine.Parse([], environment);
        Assert.False(options.StreamCsv);
        Assert.False(options.DeferIndexes);
        options = WorkerCommandLine.Parse(["--stream-csv"], environment);
        Assert.True(options.StreamCsv);
        Assert.False(options.DeferIndexes);
    }

    [Fact]
    public void A_value_that_is_not_a_switch_is_refused()
    {
        var e = Assert.Throws<ProcessConfigException>(() => WorkerCommandLine.Parse([], Environment((WorkerCommandLine.StreamCsvVariable, "maybe"))));
        Assert.Contains("DM_STREAM_CSV", e.Message);
        Assert.Throws<ProcessConfigException>(() => WorkerCommandLine.Parse(["--defer-indexes=maybe"], Environment()));
    }
}
