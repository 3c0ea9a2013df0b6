using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Dm.Contracts.Tests;

/// <summary>
/// Every public property of a model, nested ones included, as text (one line each, with its path): two models with
/// the same text hold the same values. A test compares these to see that a mapping kept every value.
/// </summary>
internal static class ModelText
{
    public static string Of(object? model)
    {
        var text = new StringBuilder();
        Write(text, "", model);
        return text.ToString();
    }

    private static void Write(StringBuilder text, string path, object? value)
    {
        switch (value)
        {
            case null:
                text.Append(path).AppendLine(" = null");
                return;
            case string or bool or Enum or TimeSpan:
                text.Append(path).Append(" = ").AppendLine(value.ToString());
                return;
            case IFormattable number when value.GetType().IsPrimitive:
                text.Append(path).Append(" = ").AppendLine(number.ToString(null, CultureInfo.InvariantCulture));
                return;
            case IDictionary map:
                text.Append(path).Append(" = {").AppendLine(map.Count.ToString(CultureInfo.InvariantCulture));
                foreach (var key in map.Keys.Cast<string>().Order(StringComparer.Ordinal))
                    Write(text, $"{path}[{key}]", map[key]);
                return;
            case IList list:
                text.Append(path).Append(" = [").AppendLine(list.Count.ToString(CultureInfo.InvariantCulture));
                for (var i = 0; i < list.Count; i++)
                    Write(text, $"{path}[{i}]", list[i]);
                return;
        }
        text.Append(path).Append(" = ").AppendLine(value.GetType().Name);
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            Write(text, $"{path}.{property.Name}", property.GetValue(value));
    }
}
