using System.Collections;

namespace Dm.Sql.Ast;

/// <summary>An immutable list that compares by its items, so AST records compare structurally.</summary>
public sealed class SqlList<T> : IReadOnlyList<T>, IEquatable<SqlList<T>>
{
    public static readonly SqlList<T> Empty = new([]);

    private readonly T[] _items;

    public SqlList(T[] items) => _items = items;

    public SqlList(IEnumerable<T> items) => _items = items.ToArray();

    public static SqlList<T> Of(params T[] items) => items.Length == 0 ? Empty : new(items);

    public T this[int index] => _items[index];
    public int Count => _items.Length;
    public ReadOnlySpan<T> AsSpan() => _items;

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(SqlList<T>? other) =>
        other is not null && (ReferenceEquals(this, other) || _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default));

    public override bool Equals(object? obj) => Equals(obj as SqlList<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item);
        return hash.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}

/// <summary>Builds <see cref="SqlList{T}"/> from a sequence.</summary>
public static class SqlList
{
    public static SqlList<T> Of<T>(params T[] items) => SqlList<T>.Of(items);

    public static SqlList<T> ToSqlList<T>(this IEnumerable<T> items) => new(items);
    public static SqlList<T> ToSqlList<T>(this List<T> items) => items.Count == 0 ? SqlList<T>.Empty : new(items.ToArray());
}
