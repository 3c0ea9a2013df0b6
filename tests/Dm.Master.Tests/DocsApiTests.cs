using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Dm.Master.Tests;

/// <summary>/api/v1/docs works without a network, and /api/v1/dm.json matches DM's own spec.</summary>
[Collection(MasterCollection.Name)]
public sealed class DocsApiTests(MasterEnvironment env)
{
    private ApiClient Api => env.Api;

    [Fact]
    public async Task DocsPageIsSelfContained()
    {
        var page = await Api.Get("/api/v1/docs");
        Assert.Equal(200, page.Code);
        Assert.Equal("text/html", page.ContentType);
        Assert.Contains("/api/v1/dm.json", page.Body);
        Assert.DoesNotContain("<script src=\"http", page.Body);
        Assert.DoesNotContain("<link href=\"http", page.Body);
    }

    [Fact]
    public async Task GeneratedSpecHasDmOperationsParametersAndSchemas()
    {
        var ours = (await Api.Get("/api/v1/dm.json")).Json!.AsObject();
        var dm = DmSpec.Load();

        var dmOps = DmSpec.Operations(dm);
        var ourOps = new Dictionary<string, (string Path, string Method, List<string> Parameters)>();
        foreach (var (path, item) in ours["paths"]!.AsObject())
        foreach (var (method, op) in item!.AsObject())
        {
            var parameters = (op!["parameters"]?.AsArray() ?? []).Select(p => $"{p!["in"]}:{p["name"]}").Order().ToList();
            ourOps[op["operationId"]!.GetValue<string>()] = (path, method, parameters);
        }
        // DM's 43 operations, and DM#'s own few (the REST form of what DM serves only over master gRPC).
        string[] dmSharpOnly = [Dm.Master.Api.BinlogOperations.OperationId, Dm.Master.Api.TaskCheckOperations.OperationId,
            Dm.Master.Api.SecretOperations.EncryptOperationId, Dm.Master.Api.SecretOperations.DecryptOperationId,
            Dm.Master.Api.MasterConfigOperations.OperationId, Dm.Master.Api.RelayStageOperations.PauseOperationId,
            Dm.Master.Api.RelayStageOperations.ResumeOperationId];
        Assert.Equal(43, dmOps.Count);
        Assert.Equal(dmOps.Keys.Concat(dmSharpOnly).Order(), ourOps.Keys.Order());
        foreach (var (id, expected) in dmOps)
        {
            var actual = ourOps[id];
            Assert.True(expected.Path == actual.Path && expected.Method == actual.Method,
                $"{id}: DM has {expected.Method} {expected.Path}, we have {actual.Method} {actual.Path}");
            Assert.True(expected.Parameters.SequenceEqual(actual.Parameters),
                $"{id}: DM parameters [{string.Join(", ", expected.Parameters)}], ours [{string.Join(", ", actual.Parameters)}]");
        }

        var ourSchemas = ours["components"]!["schemas"]!.AsObject();
        // DM#'s fields beyond DM's spec: what task.yaml has and DM's OpenAPI task cannot carry (dmctl start-task sends them).
        var dmSharpProperties = new Dictionary<string, string[]>
        {
            ["Task"] = ["expression_filter", "task_config_file"],
            ["TaskSourceConf"] = ["expression_filters"],
            ["TaskTableMigrateRuleTarget"] = ["extract_schema", "extract_source", "extract_table"],
        };
        foreach (var (name, dmProperties) in DmSpec.SchemaProperties(dm))
        {
            if (dmProperties == null) continue; // array/alias schemas are inlined by us
            Assert.True(ourSchemas.ContainsKey(name), $"schema {name} is missing");
            var properties = dmProperties.Concat(dmSharpProperties.GetValueOrDefault(name, [])).ToList();
            var ourProperties = ourSchemas[name]!["properties"]?.AsObject().Select(p => p.Key).Order().ToList() ?? [];
            Assert.True(properties.Order().SequenceEqual(ourProperties),
                $"schema {name}: DM has [{string.Join(", ", properties.Order())}], ours [{string.Join(", ", ourProperties)}]");
        }
    }
}

/// <summary>Reads DM's spec from shared/reference beside the repository (facts to compare with, not copied).</summary>
internal static class DmSpec
{
    public static YamlMappingNode Load()
    {
        var path = Path.Combine(Dm.TestKit.RepositoryLayout.Root, "..", "shared", "reference", "dm-openapi.yaml");
        Assert.True(File.Exists(path), $"DM's spec is expected at {path}");
        var yaml = new YamlStream();
        using var reader = new StreamReader(path);
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    public static Dictionary<string, (string Path, string Method, List<string> Parameters)> Operations(YamlMappingNode root)
    {
        var result = new Dictionary<string, (string, string, List<string>)>();
        foreach (var (pathNode, itemNode) in (YamlMappingNode)root["paths"])
        foreach (var (methodNode, opNode) in (YamlMappingNode)itemNode)
        {
            var op = (YamlMappingNode)opNode;
            var parameters = op.Children.TryGetValue("parameters", out var ps)
                ? ((YamlSequenceNode)ps).Cast<YamlMappingNode>().Select(p => $"{p["in"]}:{p["name"]}").Order().ToList()
                : [];
            result[op["operationId"].ToString()] = (pathNode.ToString(), methodNode.ToString(), parameters);
        }
        return result;
    }

    /// <summary>Each component schema's property names (null for schemas that are not objects).</summary>
    public static Dictionary<string, List<string>?> SchemaProperties(YamlMappingNode root)
    {
        var result = new Dictionary<string, List<string>?>();
        foreach (var (name, schemaNode) in (YamlMappingNode)((YamlMappingNode)root["components"])["schemas"])
        {
            var schema = (YamlMappingNode)schemaNode;
            result[name.ToString()] = schema.Children.TryGetValue("properties", out var props)
                ? ((YamlMappingNode)props).Children.Keys.Select(k => k.ToString()).ToList()
                : null;
        }
        return result;
    }
}
