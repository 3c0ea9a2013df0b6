using Dm.Core.Api;

namespace Dm.Master.OpenApi;

/// <summary>Which C# API types are named schemas in the document, and under which of DM's names.</summary>
public static class ApiSchemaNames
{
    /// <summary>Every API model type that is a named schema, used or not by an operation (DM's spec lists them all).</summary>
    public static IEnumerable<Type> All() => typeof(DmTask).Assembly.GetTypes()
        .Where(t => t.IsPublic && !t.IsAbstract && !typeof(Exception).IsAssignableFrom(t) && t.GetProperties().Length > 0 && Of(t) != null);

    /// <summary>The component name of <paramref name="type"/>, or null to inline it.</summary>
    public static string? Of(Type type)
    {
        if (type.Namespace != typeof(DmTask).Namespace || type.IsGenericType) return null;
        if (type == typeof(DmTask)) return "Task";
        if (type == typeof(TaskTemplateFailure)) return null;
        if (type.IsEnum) return type == typeof(TaskStage) ? "TaskStage" : null;
        return type.IsClass ? type.Name : null;
    }
}
