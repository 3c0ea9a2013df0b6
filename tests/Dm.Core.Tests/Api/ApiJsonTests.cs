using Dm.Core.Api;

namespace Dm.Core.Tests.Api;

public class ApiJsonTests
{
    private const string MinimalTask = """
        {"task": {
          "name": "task-1", "task_mode": "all", "on_duplicate": "replace",
          "enhance_online_schema_change": true,
          "target_config": {"host": "127.0.0.1", "port": 4000, "user": "root", "password": ""},
          "table_migrate_rule": [{"source": {"source_name": "mysql-01", "schema": "db-*", "table": "tb-*"}}],
          "source_config": {"source_conf": [{"source_name": "mysql-01"}],
                            "full_migrate_conf": {"compress-kv-pairs": "gz", "import_mode": "import-into"}}
        }}
        """;

    [Fact]
    public void Source_serialises_snake_case_omits_nulls_and_indents_four_spaces()
    {
        var source = new Source
        {
            SourceName = "mysql-01", Host = "127.0.0.1", Port = 3306, User = "root",
            EnableGtid = false, Enable = true, Purge = new Purge { Interval = 3600 },
        };
        var json = ApiJson.Serialize(source);
        Assert.Equal("""
            {
                "enable": true,
                "enable_gtid": false,
                "host": "127.0.0.1",
                "port": 3306,
                "purge": {
                    "interval": 3600
                },
                "source_name": "mysql-01",
                "user": "root"
            }
            """.ReplaceLineEndings("\n"), json.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Task_round_trips_with_hyphenated_and_enum_names()
    {
        var request = ApiJson.Deserialize<CreateTaskRequest>(MinimalTask);
        Assert.Equal(TaskMode.All, request.Task.TaskMode);
        Assert.Equal(ImportMode.ImportInto, request.Task.SourceConfig.FullMigrateConf!.ImportMode);
        var json = ApiJson.Serialize(request);
        Assert.Contains("\"compress-kv-pairs\": \"gz\"", json);
        Assert.Contains("\"import_mode\": \"import-into\"", json);
        Assert.Contains("\"task_mode\": \"all\"", json);
        Assert.DoesNotContain("shard_mode", json);
        Assert.Equal(json, ApiJson.Serialize(ApiJson.Deserialize<CreateTaskRequest>(json)));
    }

    [Fact]
    public void Missing_required_field_is_named()
    {
        var ex = Assert.Throws<ApiJsonException>(() => ApiJson.Deserialize<CreateTaskRequest>(MinimalTask.Replace("\"name\": \"task-1\",", "")));
        Assert.Contains("task.name", ex.Message);
    }

    [Fact]
    public void Unknown_enum_value_is_rejected_naming_the_field_and_choices()
    {
        var ex = Assert.Throws<ApiJsonException>(() => ApiJson.Deserialize<CreateTaskRequest>(MinimalTask.Replace("\"all\"", "\"everything\"")));
        Assert.Equal("$.task.task_mode", ex.FieldPath);
        Assert.Contains("task.task_mode", ex.Message);
        Assert.Contains("\"incremental\"", ex.Message);
    }

    [Fact]
    public void Number_given_as_string_is_rejected()
    {
        var ex = Assert.Throws<ApiJsonException>(() => ApiJson.Deserialize<CreateTaskRequest>(MinimalTask.Replace("4000", "\"4000\"")));
        Assert.Equal("$.task.target_config.port", ex.FieldPath);
        Assert.Contains("integer", ex.Message);
    }

    [Fact]
    public void Enum_given_as_integer_is_rejected()
    {
        Assert.Throws<ApiJsonException>(() => ApiJson.Deserialize<CreateTaskRequest>(MinimalTask.Replace("\"replace\"", "0")));
    }

    [Fact]
    public void Unknown_properties_are_accepted_except_in_target_session()
    {
        var withExtra = MinimalTask.Replace("\"name\": \"task-1\",", "\"name\": \"task-1\", \"extra\": 1,");
        Assert.Equal("task-1", ApiJson.Deserialize<CreateTaskRequest>(withExtra).Task.Name);

        var session = MinimalTask.Replace("\"password\": \"\"}", "\"password\": \"\", \"session\": {\"foreign_key_checks\": \"0\", \"sql_mode\": \"\"}}");
        var ex = Assert.Throws<ApiJsonException>(() => ApiJson.Deserialize<CreateTaskRequest>(session));
        Assert.Contains("target_config.session", ex.Message);

        var ok = MinimalTask.Replace("\"password\": \"\"}", "\"password\": \"\", \"session\": {\"foreign_key_checks\": \"1\"}}");
        Assert.Equal(ForeignKeyChecks.On, ApiJson.Deserialize<CreateTaskRequest>(ok).Task.TargetConfig.Session!.ForeignKeyChecks);
    }

    [Fact]
    public void Null_for_a_required_string_is_rejected()
    {
        var ex = Assert.Throws<ApiJsonException>(() => ApiJson.Deserialize<CreateTaskRequest>(MinimalTask.Replace("\"task-1\"", "null")));
        Assert.Contains("task.name", ex.Message);
    }

    [Fact]
    public void Malformed_json_and_deep_nesting_are_reported()
    {
        Assert.Throws<ApiJsonException>(() => ApiJson.Deserialize<CreateTaskRequest>("{\"task\": "));
        var deep = new string('[', 200) + new string(']', 200);
        var ex = Assert.Throws<ApiJsonException>(() => ApiJson.Deserialize<List<object>>(deep));
        Assert.Contains("deeper", ex.Message);
    }

    [Fact]
    public void Error_body_uses_dm_names()
    {
        var json = ApiJson.Serialize(new ErrorWithMessage { ErrorCode = 46008, ErrorMsg = "x" });
        Assert.Contains("\"error_code\": 46008", json);
        Assert.Contains("\"error_msg\": \"x\"", json);
    }

    [Fact]
    public void Binlog_filter_rule_map_is_written_in_key_order()
    {
        var task = ApiJson.Deserialize<CreateTaskRequest>(MinimalTask).Task with
        {
            BinlogFilterRule = new(StringComparer.Ordinal)
            {
                ["z-rule"] = new TaskBinLogFilterRule { IgnoreEvent = ["delete"] },
                ["a-rule"] = new TaskBinLogFilterRule { IgnoreSql = ["^DROP"] },
            },
        };
        var json = ApiJson.Serialize(task);
        Assert.True(json.IndexOf("a-rule", StringComparison.Ordinal) < json.IndexOf("z-rule", StringComparison.Ordinal));
    }
}

public class ErrorBodiesTests
{
    [Fact]
    public void Dm_errors_keep_code_and_terror_string()
    {
        var body = ErrorBodies.From(Dm.Core.Errors.DmErrors.ErrSchedulerTaskNotExist.New("t1"));
        Assert.Equal(46018, body.ErrorCode);
        Assert.StartsWith("[code=46018:class=scheduler:scope=internal:level=medium], Message: task with name t1 not exist", body.ErrorMsg);
        Assert.Equal(0, ErrorBodies.From(new InvalidOperationException("x")).ErrorCode);
    }

    [Fact]
    public void Passwords_are_masked()
    {
        var source = new Source { SourceName = "s", Host = "h", Port = 1, User = "u", Password = "pw", Enable = true, EnableGtid = false };
        Assert.Equal("******", PasswordMask.Hide(source).Password);
    }

    [Fact]
    public void Tls_private_keys_are_masked_in_sources_and_tasks()
    {
        var security = new Security { SslCaContent = "ca-pem", SslCertContent = "cert-pem", SslKeyContent = "PRIVATE KEY" };
        var source = new Source { SourceName = "s", Host = "h", Port = 1, User = "u", Password = "pw", Enable = true, EnableGtid = false, Security = security };
        var shown = PasswordMask.Hide(source).Security!;
        Assert.Equal(("ca-pem", "cert-pem", "******"), (shown.SslCaContent, shown.SslCertContent, shown.SslKeyContent));

        var json = """
            {"name": "t", "task_mode": "all", "on_duplicate": "replace", "enhance_online_schema_change": true,
             "target_config": {"host": "h", "port": 1, "user": "u", "password": "pw",
               "security": {"ssl_ca_content": "ca", "ssl_cert_content": "cert", "ssl_key_content": "PRIVATE KEY"}},
             "table_migrate_rule": [],
             "source_config": {"source_conf": [], "full_migrate_conf": {"security": {"ssl_ca_content": "", "ssl_cert_content": "", "ssl_key_content": "PRIVATE KEY"}}}}
            """;
        var task = PasswordMask.Hide(ApiJson.Deserialize<DmTask>(json));
        Assert.DoesNotContain("PRIVATE KEY", ApiJson.Serialize(task), StringComparison.Ordinal);
        Assert.Equal("******", task.TargetConfig.Security!.SslKeyContent);
        Assert.Equal("******", task.SourceConfig.FullMigrateConf!.Security!.SslKeyContent);
        // No key, nothing to mask: an empty key stays empty.
        Assert.Equal("", PasswordMask.HideKey(security with { SslKeyContent = "" })!.SslKeyContent);
    }
}

public class ApiJsonEnumTests
{
    [Fact]
    public void Unknown_value_of_an_optional_enum_names_field_and_choices()
    {
        var json = """
            {"name": "t", "task_mode": "all", "shard_mode": "sometimes", "on_duplicate": "replace", "enhance_online_schema_change": true,
             "target_config": {"host": "h", "port": 1, "user": "u", "password": ""}, "table_migrate_rule": [],
             "source_config": {"source_conf": []}}
            """;
        var ex = Assert.Throws<ApiJsonException>(() => ApiJson.Deserialize<DmTask>(json));
        Assert.Equal("$.shard_mode", ex.FieldPath);
        Assert.Contains("\"pessimistic\", \"optimistic\"", ex.Message);
    }

    [Fact]
    public void Query_stage_parses_with_dm_spelling()
    {
        Assert.True(ApiEnumNames.TryParse<TaskStage>("Paused", out var stage));
        Assert.Equal(TaskStage.Paused, stage);
        Assert.False(ApiEnumNames.TryParse<TaskStage>("paused", out _));
        Assert.Equal("import-into", ApiEnumNames.Of(ImportMode.ImportInto));
    }
}
