using Dm.Sql.Ast;
using Dm.Sql.Classification;
using Dm.Sql.Parsing;

namespace Dm.Sql.Tests;

/// <summary>The table a DML statement text writes to, as Sync looks at a DML statement met in a query event.</summary>
public sealed class DmlTargetTests
{
    [Theory]
    [InlineData("INSERT INTO t VALUES (1)", null, "t")]
    [InlineData("insert low_priority ignore into `d`.`t 1` (a) values (1)", "d", "t 1")]
    [InlineData("REPLACE d.t SET a = 1", "d", "t")]
    [InlineData("UPDATE IGNORE d.t SET a = 1 WHERE b = 2", "d", "t")]
    [InlineData("UPDATE d.t JOIN e.u ON t.a = u.a SET t.b = 1", "d", "t")]
    [InlineData("DELETE QUICK FROM t WHERE a = 1", null, "t")]
    [InlineData("LOAD DATA LOCAL INFILE '/x.csv' IGNORE INTO TABLE d.t FIELDS TERMINATED BY ','", "d", "t")]
    public void The_written_table_is_found(string sql, string? schema, string table)
    {
        var statement = Assert.IsType<PassThroughStatement>(SqlParser.Parse(sql));
        Assert.Equal(new TableName(schema, table), DmlTarget.Of(statement));
    }

    [Theory]
    [InlineData("CALL p()")]
    [InlineData("DO SLEEP(1)")]
    public void Statements_naming_no_table_give_none(string sql) =>
        Assert.Null(DmlTarget.Of(Assert.IsType<PassThroughStatement>(SqlParser.Parse(sql))));
}
