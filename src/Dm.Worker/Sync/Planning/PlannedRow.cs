using Dm.Sql.Ast;
using Dm.Sql.Tracking;

namespace Dm.Worker.Sync.Planning;

/// <summary>
/// A row change kept as data (for a mergeable table) until its writer builds the batch's statements, with the primary
/// key of each image as its causality key (exact for these tables: see <see cref="MergeableTables"/>).
/// </summary>
internal sealed record PlannedRow(TableInfo Table, TableName Target, object?[]? Before, object?[]? After, string? BeforeKey, string? AfterKey);
