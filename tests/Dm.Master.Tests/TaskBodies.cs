using System.Text.Json.Nodes;

namespace Dm.Master.Tests;

/// <summary>Task bodies as a DM user writes them for the OpenAPI.</summary>
public static class TaskBodies
{
    public static JsonObject Full(string name, MasterEnvironment env, params string[] sources) =>
        Task(name, "full", env, sources);

    public static JsonObject Task(string name, string mode, MasterEnvironment env, params string[] sources)
    {
        var sourceConf = new JsonArray();
        var rules = new JsonArray();
        foreach (var s in sources)
        {
            sourceConf.Add(new JsonObject { ["source_name"] = s });
            rules.Add(new JsonObject
            {
                ["source"] = new JsonObject { ["source_name"] = s, ["schema"] = "shop", ["table"] = "*" },
                ["target"] = new JsonObject { ["schema"] = "shop_all", ["table"] = "" },
                ["binlog_filter_rule"] = new JsonArray("no-drop"),
            });
            rules.Add(new JsonObject
            {
                ["source"] = new JsonObject { ["source_name"] = s, ["schema"] = "logs", ["table"] = "events_*" },
                ["target"] = new JsonObject { ["schema"] = "logs", ["table"] = "events" },
            });
        }
        return new JsonObject
        {
            ["name"] = name,
            ["task_mode"] = mode,
            ["meta_schema"] = "dm_meta",
            ["enhance_online_schema_change"] = true,
            ["on_duplicate"] = "replace",
            ["target_config"] = new JsonObject
            {
                ["host"] = env.Target.Host, ["port"] = env.Target.Port, ["user"] = env.Target.User, ["password"] = env.Target.Password,
            },
            ["binlog_filter_rule"] = new JsonObject
            {
                ["no-drop"] = new JsonObject { ["ignore_event"] = new JsonArray("drop database", "drop table") },
            },
            ["table_migrate_rule"] = rules,
            ["source_config"] = new JsonObject
            {
                ["full_migrate_conf"] = new JsonObject { ["export_threads"] = 4, ["import_threads"] = 8, ["data_dir"] = "./exported_data" },
                ["incr_migrate_conf"] = new JsonObject { ["repl_threads"] = 8, ["repl_batch"] = 100 },
                ["source_conf"] = sourceConf,
            },
        };
    }
}
