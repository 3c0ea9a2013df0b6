using System.Text.RegularExpressions;
using Dm.TestKit;

namespace Dm.IntegrationTests.Guide;

/// <summary>One <c>curl</c> example of DM's OpenAPI guide: method, path with query, and body as the guide writes them.</summary>
public sealed record GuideExample(string Method, string PathAndQuery, string? Body)
{
    /// <summary>The path without the query, e.g. <c>/api/v1/sources/mysql-01</c>.</summary>
    public string Path => PathAndQuery.Split('?')[0];

    public override string ToString() => $"{Method} {PathAndQuery}";
}

/// <summary>
/// Reads the examples of DM's OpenAPI guide ("Maintain DM Clusters Using OpenAPI") from <c>shared/reference</c> beside the
/// repository, so that the test sends what DM's users copy, not our transcription of it.
/// </summary>
public static partial class OpenApiGuide
{
    public static string FilePath => System.IO.Path.Combine(RepositoryLayout.Root, "..", "shared", "reference", "dm-openapi-guide.zh.txt");

    public static IReadOnlyList<GuideExample> Examples()
    {
        Assert.True(File.Exists(FilePath), $"DM's OpenAPI guide is expected at {FilePath}");
        var examples = new List<GuideExample>();
        foreach (var line in File.ReadLines(FilePath))
        {
            var curl = Curl().Match(line);
            if (!curl.Success) continue;
            var url = new Uri(curl.Groups["url"].Value);
            var body = Body().Match(line);
            examples.Add(new GuideExample(curl.Groups["method"].Value, url.PathAndQuery, body.Success ? body.Groups["body"].Value : null));
        }
        return examples;
    }

    [GeneratedRegex(@"^curl -X '(?<method>[A-Z]+)' \\ '(?<url>[^']+)'")]
    private static partial Regex Curl();

    [GeneratedRegex(@" -d '(?<body>.*)'\s*$")]
    private static partial Regex Body();
}
