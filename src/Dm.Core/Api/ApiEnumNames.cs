using System.Reflection;
using System.Text.Json.Serialization;

namespace Dm.Core.Api;

/// <summary>The wire strings of an API enum (its <see cref="JsonStringEnumMemberNameAttribute"/> or member name).</summary>
public static class ApiEnumNames
{
    public static IReadOnlyList<string> Of(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name)
            .ToList();

    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        var field = typeof(TEnum).GetField(value.ToString())!;
        return field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name;
    }

    public static bool TryParse<TEnum>(string text, out TEnum value) where TEnum : struct, Enum
    {
        foreach (var field in typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var name = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name;
            if (name == text)
            {
                value = (TEnum)field.GetValue(null)!;
                return true;
            }
        }
        value = default;
        return false;
    }
}
