namespace Dm.Sql.Ast;

/// <summary>PARTITION BY ... [PARTITIONS n] [SUBPARTITION BY ...] [(partition definitions)].</summary>
public sealed record PartitionOptions(
    PartitionMethod Method,
    SqlExpression? Expression,
    SqlList<string> Columns,
    int? Algorithm,
    int? Count,
    PartitionMethod? SubMethod,
    SqlExpression? SubExpression,
    SqlList<string> SubColumns,
    int? SubAlgorithm,
    int? SubCount,
    SqlList<PartitionDefinition> Partitions);

/// <summary>Method names are printed as given here (LINEAR HASH, RANGE COLUMNS, SYSTEM_TIME...).</summary>
public sealed record PartitionMethod(string Name);

public enum PartitionValuesKind { None, LessThan, LessThanMaxValue, In, History, Current }

public sealed record PartitionDefinition(
    string Name,
    PartitionValuesKind ValuesKind,
    SqlList<SqlExpression> Values,
    SqlList<TableOption> Options,
    SqlList<PartitionDefinition> Subpartitions);
