using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Dm.Contracts.Mapping;

/// <summary>
/// Copies a model (a Dm.Core config or API record) into the proto message that mirrors it, and back, field by field
/// by name: the model's property <c>ChunkFilesize</c> is the message's field <c>chunk_filesize</c>. Every public
/// settable property of a model has its field and every field its property, checked the first time a pair of types
/// is mapped: a field added on one side only fails there instead of being dropped on the way.
/// Values: scalars of the same CLR type; enums by member name; lists as repeated fields; string dictionaries as maps
/// (an empty map is a null dictionary where the property may be null); nested models as nested messages; the pairs
/// of <see cref="MessageConverter"/> given at construction (TimeSpan as Duration, ...). A null model value is an unset
/// field, and an unset field (a message, a proto3 <c>optional</c> scalar) is null, or the model's default where the
/// property may not be null.
/// </summary>
internal sealed class MessageMapper(IReadOnlyList<MessageConverter> converters)
{
    private readonly ConcurrentDictionary<(Type Model, Type Message), FieldPair[]> _plans = new();

    /// <summary>One model property and the message field that mirrors it.</summary>
    private sealed record FieldPair(PropertyInfo Property, FieldDescriptor Field, bool MayBeNull);

    public TMessage ToMessage<TMessage>(object model) where TMessage : IMessage, new() =>
        (TMessage)ToMessage(model, typeof(TMessage));

    public TModel ToModel<TModel>(IMessage message) => (TModel)ToModel(message, typeof(TModel));

    /// <summary>The member of <paramref name="target"/> with the name of <paramref name="value"/> (both enums).</summary>
    public static object ToEnum(object value, Type target)
    {
        var name = Enum.GetName(value.GetType(), value);
        return name is not null && Enum.TryParse(target, name, ignoreCase: false, out var mapped)
            ? mapped!
            : throw new InvalidDataException($"{value.GetType().Name} value {value} has no counterpart in {target.Name}");
    }

    private IMessage ToMessage(object model, Type messageType)
    {
        var message = (IMessage)Activator.CreateInstance(messageType)!;
        foreach (var pair in Plan(model.GetType(), message.Descriptor))
        {
            var value = pair.Property.GetValue(model);
            if (value is null) continue;
            var field = pair.Field;
            if (field.IsMap)
            {
                var map = (IDictionary)field.Accessor.GetValue(message);
                foreach (DictionaryEntry entry in (IDictionary)value) map.Add(entry.Key, entry.Value);
            }
            else if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                var itemType = ItemType(pair.Property.PropertyType);
                foreach (var item in (IEnumerable)value) list.Add(ToMessageValue(item, itemType, field));
            }
            else
            {
                field.Accessor.SetValue(message, ToMessageValue(value, pair.Property.PropertyType, field));
            }
        }
        return message;
    }

    private object ToMessageValue(object value, Type modelType, FieldDescriptor field)
    {
        modelType = Nullable.GetUnderlyingType(modelType) ?? modelType;
        var fieldType = FieldClrType(field);
        if (Converter(modelType, fieldType) is { } converter) return converter.ToMessage(value);
        return field.FieldType switch
        {
            FieldType.Message => ToMessage(value, fieldType),
            FieldType.Enum => ToEnum(value, fieldType),
            _ => value,
        };
    }

    private object ToModel(IMessage message, Type modelType)
    {
        var plan = Plan(modelType, message.Descriptor);
        var values = plan.ToDictionary(p => p.Property.Name, p => (p, Value: ToModelValue(message, p)), StringComparer.Ordinal);
        object model;
        if (modelType.GetConstructor(Type.EmptyTypes) is { } empty)
        {
            model = empty.Invoke(null);
        }
        else
        {
            // A positional record: its constructor takes the properties of the same names.
            var constructor = modelType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            var arguments = constructor.GetParameters().Select(parameter =>
            {
                var match = plan.FirstOrDefault(p => p.Property.Name.Equals(parameter.Name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new InvalidOperationException($"{modelType.Name}'s constructor takes {parameter.Name}, which has no field");
                return values.Remove(match.Property.Name, out var v) ? v.Value : null;
            }).ToArray();
            model = constructor.Invoke(arguments);
        }
        foreach (var (pair, value) in values.Values)
            if (value is not null || pair.MayBeNull)
                pair.Property.SetValue(model, value);
        return model;
    }

    /// <summary>The model value of one field of <paramref name="message"/>; null when the field is unset.</summary>
    private object? ToModelValue(IMessage message, FieldPair pair)
    {
        var field = pair.Field;
        var propertyType = pair.Property.PropertyType;
        if (field.IsMap)
        {
            var map = (IDictionary)field.Accessor.GetValue(message);
            if (map.Count == 0 && pair.MayBeNull) return null;
            var dictionary = (IDictionary)Activator.CreateInstance(propertyType, StringComparer.Ordinal)!;
            foreach (DictionaryEntry entry in map) dictionary.Add(entry.Key, entry.Value);
            return dictionary;
        }
        if (field.IsRepeated)
        {
            var itemType = ItemType(propertyType);
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType))!;
            foreach (var item in (IList)field.Accessor.GetValue(message)) list.Add(ToModelValue(item, field, itemType));
            return list;
        }
        if (field.HasPresence && !field.Accessor.HasValue(message)) return null;
        return ToModelValue(field.Accessor.GetValue(message), field, Nullable.GetUnderlyingType(propertyType) ?? propertyType);
    }

    private object ToModelValue(object value, FieldDescriptor field, Type modelType)
    {
        if (Converter(modelType, FieldClrType(field)) is { } converter) return converter.ToModel(value);
        return field.FieldType switch
        {
            FieldType.Message => ToModel((IMessage)value, modelType),
            FieldType.Enum => ToEnum(value, modelType),
            _ => value,
        };
    }

    private MessageConverter? Converter(Type model, Type message) =>
        converters.FirstOrDefault(c => c.Model == model && c.Message == message);

    private static Type FieldClrType(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Message => field.MessageType.ClrType,
        FieldType.Enum => field.EnumType.ClrType,
        _ => ScalarType(field),
    };

    private static Type ScalarType(FieldDescriptor field)
    {
        var type = field.ContainingType.ClrType.GetProperty(field.PropertyName)!.PropertyType;
        return field.IsRepeated ? type.GetGenericArguments()[0] : type;
    }

    private static Type ItemType(Type listType) =>
        listType.IsGenericType && listType.GetGenericTypeDefinition() == typeof(List<>)
            ? listType.GetGenericArguments()[0]
            : throw new InvalidOperationException($"{listType.Name} is not a List<T>: a repeated field maps to a list");

    /// <summary>The pairs of model property and message field, built and checked once per pair of types.</summary>
    private FieldPair[] Plan(Type model, MessageDescriptor message) => _plans.GetOrAdd((model, message.ClrType), _ =>
    {
        var nullability = new NullabilityInfoContext();
        var properties = model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.SetMethod is { IsPublic: true })
            .ToDictionary(p => p.Name, StringComparer.Ordinal);
        var pairs = new List<FieldPair>();
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            if (!properties.Remove(field.PropertyName, out var property))
                throw new InvalidOperationException($"message {message.Name} has field {field.Name}, which {model.Name} has no property for");
            var mayBeNull = Nullable.GetUnderlyingType(property.PropertyType) is not null
                || (!property.PropertyType.IsValueType && nullability.Create(property).WriteState == NullabilityState.Nullable);
            Check(property, field);
            pairs.Add(new FieldPair(property, field, mayBeNull));
        }
        if (properties.Count > 0)
            throw new InvalidOperationException(
                $"{model.Name} has {string.Join(", ", properties.Keys)}, which message {message.Name} has no field for");
        return pairs.ToArray();
    });

    /// <summary>Refuses a pair whose values cannot map (say, an int property against an int64 field).</summary>
    private void Check(PropertyInfo property, FieldDescriptor field)
    {
        var modelType = field.IsRepeated && !field.IsMap ? ItemType(property.PropertyType) : property.PropertyType;
        modelType = Nullable.GetUnderlyingType(modelType) ?? modelType;
        var fieldType = FieldClrType(field);
        var fits = field.IsMap
            ? typeof(IDictionary).IsAssignableFrom(modelType)
            : Converter(modelType, fieldType) is not null || field.FieldType switch
            {
                FieldType.Message => !modelType.IsValueType,
                FieldType.Enum => modelType.IsEnum,
                _ => modelType == fieldType,
            };
        if (!fits)
            throw new InvalidOperationException(
                $"{property.DeclaringType!.Name}.{property.Name} ({modelType.Name}) cannot map to field {field.FullName} ({fieldType.Name})");
    }
}
