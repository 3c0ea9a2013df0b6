using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Core.Upstream;

namespace Dm.Master.Sources;

/// <summary>What makes a source in a request acceptable before anything is contacted or stored.</summary>
public static class SourceRules
{
    public const int MaxNameLength = 128;

    public static void Validate(Source source)
    {
        SourceName("source_name", source.SourceName);
        if (string.IsNullOrWhiteSpace(source.Host)) throw Invalid("host must not be empty");
        if (source.Port is < 1 or > 65535) throw Invalid($"port must be within 1..65535, got {source.Port}");
        if (string.IsNullOrEmpty(source.User)) throw Invalid("user must not be empty");
        if (!string.IsNullOrEmpty(source.Flavor) && !ServerFlavor.IsKnown(source.Flavor))
            throw DmErrors.ErrNotSupportedFlavor.New(source.Flavor);
    }

    /// <summary>Names become store keys and file names: non-empty, bounded, no control characters.</summary>
    public static void Name(string field, string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw Invalid($"{field} must not be empty");
        if (name.Length > MaxNameLength) throw Invalid($"{field} must be at most {MaxNameLength} characters");
        if (name.Any(char.IsControl)) throw Invalid($"{field} must not contain control characters");
    }

    /// <summary>A source's name is also its checkpoint rows' id: at most 32 characters, DM's 40006 otherwise (never truncated).</summary>
    public static void SourceName(string field, string name)
    {
        Name(field, name);
        if (name.Length > Dm.Core.Config.SourceConfig.MaxSourceIdLength)
            throw DmErrors.ErrWorkerTooLongSourceID.New(name, Dm.Core.Config.SourceConfig.MaxSourceIdLength);
    }

    public static DatabaseEndpoint Endpoint(Source source, string password) =>
        State.ApiEndpoint.Of(source.Host, source.Port, source.User, password, source.Security);

    private static DmException Invalid(string message) => DmErrors.ErrOpenAPICommonError.Wrap(new ArgumentException(message));
}
