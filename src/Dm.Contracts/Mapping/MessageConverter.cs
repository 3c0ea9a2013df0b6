namespace Dm.Contracts.Mapping;

/// <summary>
/// A pair of value types that <see cref="MessageMapper"/> converts with functions of its own rather than by name: a
/// model's TimeSpan and a message's Duration, say.
/// </summary>
internal sealed record MessageConverter(Type Model, Type Message, Func<object, object> ToMessage, Func<object, object> ToModel)
{
    public static MessageConverter Of<TModel, TMessage>(Func<TModel, TMessage> toMessage, Func<TMessage, TModel> toModel)
        where TModel : notnull where TMessage : notnull =>
        new(typeof(TModel), typeof(TMessage), value => toMessage((TModel)value), value => toModel((TMessage)value));
}
