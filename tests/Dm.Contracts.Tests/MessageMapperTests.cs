using Dm.Contracts.Mapping;

namespace Dm.Contracts.Tests;

/// <summary>The by-name mapping refuses a model and a message that do not mirror each other, naming what is missing.</summary>
public sealed class MessageMapperTests
{
    /// <summary>A model with one property more than <see cref="Configs.TablePattern"/>.</summary>
    private sealed class TablePatternWithExtra
    {
        public string DbName { get; set; } = "";
        public string TblName { get; set; } = "";
        public string Extra { get; set; } = "";
    }

    /// <summary>A model without <see cref="Configs.TablePattern"/>'s tbl_name.</summary>
    private sealed class TablePatternWithoutTable
    {
        public string DbName { get; set; } = "";
    }

    /// <summary>A model whose table name is a number where <see cref="Configs.TablePattern"/>'s is a string.</summary>
    private sealed class TablePatternWithNumber
    {
        public string DbName { get; set; } = "";
        public int TblName { get; set; }
    }

    [Fact]
    public void A_model_property_without_a_field_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new MessageMapper([]).ToMessage<Configs.TablePattern>(new TablePatternWithExtra()));
        Assert.Contains("Extra", e.Message);
    }

    [Fact]
    public void A_field_without_a_model_property_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new MessageMapper([]).ToModel<TablePatternWithoutTable>(new Configs.TablePattern()));
        Assert.Contains("tbl_name", e.Message);
    }

    [Fact]
    public void A_property_of_another_type_than_its_field_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new MessageMapper([]).ToMessage<Configs.TablePattern>(new TablePatternWithNumber()));
        Assert.Contains("TblName", e.Message);
    }
}
