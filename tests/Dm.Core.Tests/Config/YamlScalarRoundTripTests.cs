using Dm.Core.Config;

namespace Dm.Core.Tests.Config;

public class YamlScalarRoundTripTests
{
    [Theory]
    [InlineData("*")]
    [InlineData("~^db.*$")]
    [InlineData("a: b")]
    [InlineData("x #y")]
    [InlineData("")]
    [InlineData("yes")]
    [InlineData("Off")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("0123")]
    [InlineData("0x1F")]
    [InlineData("1.5")]
    [InlineData("-dash")]
    [InlineData("- item")]
    [InlineData("multi\nline\n")]
    [InlineData("中文表")]
    [InlineData("'single")]
    [InlineData("\"double")]
    [InlineData(" leading space")]
    [InlineData("trailing space ")]
    [InlineData("[not a list]")]
    [InlineData("{not: a map}")]
    [InlineData("back\\slash")]
    [InlineData("tab\there")]
    public void Strings_survive_encode_and_decode(string value)
    {
        var c = new TaskConfig { Name = value, Timezone = new string('z', 300) + value };
        c.Routes["r"] = new Dm.Core.Rules.RouteRule { SchemaPattern = value, TargetSchema = value };
        c.TargetDatabase = new DbConfig { Password = value, Session = new() { ["sql_mode"] = value } };
        var back = TaskConfig.FromYaml(c.ToYaml());
        Assert.Equal(value, back.Name);
        Assert.Equal(c.Timezone, back.Timezone);
        Assert.Equal(value, back.Routes["r"].SchemaPattern);
        Assert.Equal(value, back.TargetDatabase!.Password);
        Assert.Equal(value, back.TargetDatabase.Session!.Values.Single());
    }

    [Fact]
    public void Pem_contents_survive()
    {
        var pem = "-----BEGIN CERTIFICATE-----\nMIIB" + new string('A', 200) + "\n-----END CERTIFICATE-----\n";
        var s = new SourceConfig { SourceId = "s", From = new DbConfig { Security = new SecurityConfig { SslCaBytes = pem } } };
        Assert.Equal(pem, SourceConfig.FromYaml(s.ToYaml()).From.Security!.SslCaBytes);
    }
}
