using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Config.Yaml;
using Dm.Core.Errors;
using Dm.Core.Tests.Config.Samples;

namespace Dm.Core.Tests.Config;

/// <summary>
/// #20 item 6: thread counts and batch sizes within bounds (0 is DM's default), YAML aliases and merge keys bounded, and
/// a dump dir that cannot make the worker delete outside its own directories.
/// </summary>
public class ResourceLimitTests
{
    private static Dictionary<string, SourceConfig> Sources => SubTaskAndConvertTests.Sources;

    private static List<SubTaskConfig> SubTasks(string section, string key, JsonNode? value, string mode = "all")
    {
        var body = JsonNode.Parse(SampleFiles.Read("api_task.json"))!;
        body["task"]!["task_mode"] = mode;
        body["task"]!["source_config"]![section]![key] = value;
        return TaskConverter.ToSubTasks(ApiJson.Deserialize<CreateTaskRequest>(body.ToJsonString()).Task, Sources);
    }

    public static TheoryData<string, string, int, int> Numbers => new()
    {
        { "full_migrate_conf", "export_threads", 4, UnitBounds.MaxThreads },
        { "full_migrate_conf", "import_threads", 16, UnitBounds.MaxThreads },
        { "incr_migrate_conf", "repl_threads", 16, UnitBounds.MaxThreads },
        { "incr_migrate_conf", "repl_batch", 100, UnitBounds.MaxBatch },
    };

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Thread_counts_and_batches_are_bounded(string section, string key, int dmDefault, int max)
    {
        int Value(SubTaskConfig st) => key switch
        {
            "export_threads" => st.Mydumper.Threads,
            "import_threads" => st.Loader.PoolSize,
            "repl_threads" => st.Syncer.WorkerCount,
            _ => st.Syncer.Batch,
        };
        Assert.Equal(dmDefault, Value(SubTasks(section, key, 0)[0]));
        Assert.Equal(1, Value(SubTasks(section, key, 1)[0]));
        Assert.Equal(max, Value(SubTasks(section, key, max)[0]));
        foreach (var bad in new long[] { -1, max + 1L, int.MaxValue, int.MinValue })
        {
            var e = Assert.Throws<DmException>(() => SubTasks(section, key, bad));
            Assert.Equal(26005, e.Code);
            Assert.Contains($"not within 1..{max}", e.Message);
        }
    }

    [Fact]
    public void Task_yaml_numbers_are_bounded_too()
    {
        var yaml = SampleFiles.Read("task_basic.yaml").Replace("    threads: 4", "    threads: 100000");
        var config = TaskConfig.FromYaml(yaml);
        config.Validate();
        var sources = new Dictionary<string, SourceConfig> { ["mysql-replica-01"] = new SourceConfig
        {
            SourceId = "mysql-replica-01", From = new DbConfig { Host = "10.0.0.1", Port = 3306, User = "dm" },
        } };
        Assert.Equal(26005, Assert.Throws<DmException>(() => config.ToSubTasks(sources)).Code);
        var syncer = TaskConfig.FromYaml(SampleFiles.Read("task_basic.yaml").Replace("    mydumper-config-name: \"global\"",
            "    mydumper-config-name: \"global\"\n    syncer:\n      worker-count: -3"));
        syncer.Validate();
        Assert.Equal(26005, Assert.Throws<DmException>(() => syncer.ToSubTasks(sources)).Code);
    }

    [Theory]
    [InlineData("/")]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("../../etc")]
    [InlineData("dumps/../..")]
    [InlineData("/var/lib/../../home")]
    public void A_dump_dir_cannot_point_the_worker_outside_its_directories(string dir)
    {
        // Dump and load modes use data_dir as given (all/full add ".<task>"), and the worker deletes it.
        var e = Assert.Throws<DmException>(() => SubTasks("full_migrate_conf", "data_dir", dir, "load"));
        Assert.Equal(20058, e.Code);
    }

    [Theory]
    [InlineData("./exported_data")]
    [InlineData("/data/dm/dumped")]
    [InlineData("dumped_data")]
    public void Ordinary_dump_dirs_are_kept(string dir) =>
        Assert.Equal(dir, SubTasks("full_migrate_conf", "data_dir", dir, "load")[0].Loader.Dir);

    /// <summary>"Billion laughs" in list and merge-key form: each level holds nine aliases of the one before.</summary>
    private static string Bomb(bool merges, int levels = 9)
    {
        var text = new StringBuilder();
        text.Append("name: bomb\n");
        text.Append(merges ? "l0: &l0 {a: 1}\n" : "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i <= levels; i++)
        {
            var refs = string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 9));
            text.Append(merges ? $"l{i}: &l{i} {{<<: [{refs}], k{i}: 1}}\n" : $"l{i}: &l{i} [{refs}]\n");
        }
        return text.ToString();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_yaml_bomb_is_refused_at_once_and_small(bool merges)
    {
        var bomb = Bomb(merges);
        Assert.True(bomb.Length < 1024, $"{bomb.Length} bytes");
        var clock = Stopwatch.StartNew();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DmException>(() => TaskConfig.FromYaml(bomb));
        Assert.Equal(20003, e.Code);
        Assert.Contains("aliases", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 16 * 1024 * 1024, "the bomb was expanded");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), clock.Elapsed.ToString());
        // The converter (task.yaml to JSON) reads it the same way.
        Assert.Equal(20003, Assert.Throws<DmException>(() => TaskConverter.Convert(new ConverterTaskRequest { TaskConfigFile = bomb }, Sources)).Code);
        // Hiding the password of a stored task file does not expand it either.
        Assert.Equal(bomb, DmTaskFile.HidePassword(bomb));
    }

    [Fact]
    public void Small_alias_use_and_deep_nesting()
    {
        // A few levels of aliases, as task files use them, still read.
        var ok = Bomb(merges: false, levels: 3);
        YamlBounds.Check(ok, "t");
        // Nesting deeper than the bound is refused before the recursive loader sees it (a stack overflow would kill the process).
        var deep = "a: " + new string('[', 100_000) + new string(']', 100_000) + "\n";
        var e = Assert.Throws<DmException>(() => TaskConfig.FromYaml(deep));
        Assert.Equal(20003, e.Code);
        Assert.Contains("nested deeper", e.Message);
        // An alias to a node that contains it.
        Assert.Equal(20003, Assert.Throws<DmException>(() => TaskConfig.FromYaml("a: &a [1, *a]\n")).Code);
    }
}
