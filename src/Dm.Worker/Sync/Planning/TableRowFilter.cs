using Dm.Sql.Expressions;

namespace Dm.Worker.Sync.Planning;

/// <summary>The expression filters of one table in one structure: which row changes they drop.</summary>
internal sealed class TableRowFilter(IReadOnlyList<TableRowFilter.Rule> rules)
{
    /// <summary>One rule's bound expressions (null where the rule has none).</summary>
    internal sealed record Rule(RowPredicate? Insert, RowPredicate? UpdateOld, RowPredicate? UpdateNew, RowPredicate? Delete);

    public bool DropsInsert(object?[] after) => rules.Any(r => r.Insert?.Matches(after) == true);

    public bool DropsDelete(object?[] before) => rules.Any(r => r.Delete?.Matches(before) == true);

    public bool DropsUpdate(object?[] before, object?[] after) => rules.Any(r =>
        (r.UpdateOld is not null || r.UpdateNew is not null) &&
        (r.UpdateOld?.Matches(before) ?? true) && (r.UpdateNew?.Matches(after) ?? true));
}
