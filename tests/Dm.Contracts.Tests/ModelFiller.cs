using System.Collections;
using System.Reflection;

namespace Dm.Contracts.Tests;

/// <summary>
/// Builds a model with every public settable property, nested ones included, set to a value unlike its default and
/// unlike every other property's: a mapping that forgets a property, or swaps two, cannot give the same model back.
/// </summary>
internal sealed class ModelFiller
{
    private int _next = 1000;

    public T Fill<T>() where T : class => (T)Create(typeof(T));

    private object Create(Type type)
    {
        var empty = type.GetConstructor(Type.EmptyTypes);
        object model;
        if (empty is not null)
        {
            model = empty.Invoke(null);
        }
        else
        {
            var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            model = constructor.Invoke(constructor.GetParameters().Select(p => Value(p.ParameterType, null)).ToArray());
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.GetIndexParameters().Length == 0 && p.SetMethod is { IsPublic: true }))
            property.SetValue(model, Value(property.PropertyType, property.GetValue(model)));
        return model;
    }

    private object Value(Type type, object? current)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var n = _next++;
        if (type == typeof(string)) return $"text-{n}";
        if (type == typeof(bool)) return current is not true;
        if (type == typeof(int)) return n;
        if (type == typeof(uint)) return (uint)n;
        if (type == typeof(long)) return (long)n * 1_000_003;
        if (type == typeof(ulong)) return (ulong)n * 1_000_000_007;
        if (type == typeof(double)) return n + 0.25;
        if (type == typeof(TimeSpan)) return TimeSpan.FromTicks(n * 10_000_019L);
        if (type.IsEnum)
        {
            var values = Enum.GetValues(type).Cast<object>().ToList();
            return values.Last(v => !v.Equals(current));
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (IList)Activator.CreateInstance(type)!;
            list.Add(Value(type.GetGenericArguments()[0], null));
            list.Add(Value(type.GetGenericArguments()[0], null));
            return list;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var map = (IDictionary)Activator.CreateInstance(type)!;
            map.Add($"key-{n}", $"value-{n}");
            map.Add($"key-{n}-b", $"value-{n}-b");
            return map;
        }
        return Create(type);
    }
}
