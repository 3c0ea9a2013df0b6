using System.Globalization;

namespace Dm.Master.Tasks;

/// <summary>The start_time forms DM accepts: <c>2006-01-02 15:04:05</c>, <c>2006-01-02T15:04:05</c>, or either with an offset.</summary>
public static class StartTimeText
{
    private static readonly string[] LocalForms = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss"];

    public static bool IsValid(string text) =>
        DateTime.TryParseExact(text, LocalForms, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
        || DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss'Z'"],
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);
}
