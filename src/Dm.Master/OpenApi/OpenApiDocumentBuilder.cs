using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace Dm.Master.OpenApi;

/// <summary>
/// Generates the OpenAPI 3.0 document served at <c>/api/v1/dm.json</c> from the operation list and the
/// API's C# types, so paths, parameters and schemas are those the server really uses. Types of the
/// API model namespace become named components referenced with <c>$ref</c>.
/// </summary>
public sealed class OpenApiDocumentBuilder(JsonSerializerOptions json, Func<Type, string?> componentName)
{
    private readonly Dictionary<Type, JsonNode> _components = new();
    private readonly Queue<Type> _pending = new();

    /// <param name="extraComponents">named schemas to publish even when no operation uses them.</param>
    public JsonObject Build(IEnumerable<ApiOperation> operations, string title, string version, IEnumerable<Type>? extraComponents = null)
    {
        foreach (var type in extraComponents ?? []) if (IsComponent(type)) Enqueue(type);
        var paths = new JsonObject();
        foreach (var op in operations.OrderBy(o => o.Path, StringComparer.Ordinal))
        {
            if (paths[op.Path] is not JsonObject item) paths[op.Path] = item = new JsonObject();
            item[op.Method.ToLowerInvariant()] = Operation(op);
        }
        var schemas = new JsonObject();
        while (_pending.TryDequeue(out var type))
            _components[type] = Schema(type, isRoot: true);
        foreach (var (type, schema) in _components.OrderBy(c => componentName(c.Key), StringComparer.Ordinal))
            schemas[componentName(type)!] = schema;

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = title, ["version"] = version },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private JsonObject Operation(ApiOperation op)
    {
        var node = new JsonObject
        {
            ["tags"] = new JsonArray(op.Tag),
            ["summary"] = op.Summary,
            ["operationId"] = op.OperationId,
        };
        if (op.Parameters.Count > 0)
        {
            var parameters = new JsonArray();
            foreach (var p in op.Parameters)
            {
                var parameter = new JsonObject
                {
                    ["name"] = p.Name,
                    ["in"] = p.In == ParameterLocation.Path ? "path" : "query",
                    ["required"] = p.Required,
                    ["schema"] = Reference(p.Schema),
                };
                if (p.Description != null) parameter["description"] = p.Description;
                if (p.Schema != typeof(string) && p.Schema.IsAssignableTo(typeof(System.Collections.IEnumerable)))
                {
                    parameter["style"] = "form";
                    parameter["explode"] = true;
                }
                parameters.Add(parameter);
            }
            node["parameters"] = parameters;
        }
        if (op.RequestBody != null)
        {
            node["requestBody"] = new JsonObject
            {
                ["required"] = op.RequestBodyRequired,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(op.RequestBody) } },
            };
        }
        var responses = new JsonObject();
        foreach (var r in op.Responses)
        {
            var response = new JsonObject { ["description"] = r.Description };
            if (r.Body != null)
            {
                var contentType = r.Status == 200 && op.RawContentType != null ? op.RawContentType : "application/json";
                response["content"] = new JsonObject { [contentType] = new JsonObject { ["schema"] = Reference(r.Body) } };
            }
            responses[r.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        }
        node["responses"] = responses;
        return node;
    }

    /// <summary>A schema for use inside another: a <c>$ref</c> for component types, inline otherwise.</summary>
    private JsonNode Reference(Type type)
    {
        if (IsComponent(type))
        {
            Enqueue(type);
            return Ref(type);
        }
        return Schema(type, isRoot: false);
    }

    private JsonNode Schema(Type type, bool isRoot)
    {
        var exporterOptions = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                var t = context.TypeInfo.Type;
                var isThisRoot = context.Path.IsEmpty;
                if (!isThisRoot && context.PropertyInfo == null && context.TypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object
                    && IsComponent(t))
                {
                    Enqueue(t);
                    return Ref(t);
                }
                if (!isThisRoot && context.PropertyInfo != null && IsComponent(Unwrap(context.PropertyInfo.PropertyType)))
                {
                    var pt = Unwrap(context.PropertyInfo.PropertyType);
                    Enqueue(pt);
                    return Ref(pt);
                }
                return ToOpenApi30(node);
            },
        };
        var schema = json.GetJsonSchemaAsNode(type, exporterOptions);
        if (!isRoot && IsComponent(type)) return Ref(type);
        return schema;
    }

    private bool IsComponent(Type type) => componentName(type) != null;

    private JsonObject Ref(Type type) => new() { ["$ref"] = "#/components/schemas/" + componentName(type) };

    private static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private void Enqueue(Type type)
    {
        if (_components.ContainsKey(type) || _pending.Contains(type)) return;
        _pending.Enqueue(type);
    }

    /// <summary>JSON Schema's <c>"type": ["x", "null"]</c> becomes OpenAPI 3.0's <c>nullable: true</c>.</summary>
    private static JsonNode ToOpenApi30(JsonNode node)
    {
        if (node is JsonObject obj && obj["type"] is JsonArray types)
        {
            var named = types.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToList();
            obj.Remove("type");
            if (named.Count == 1) obj["type"] = named[0];
            if (types.Count != named.Count) obj["nullable"] = true;
        }
        return node;
    }
}
