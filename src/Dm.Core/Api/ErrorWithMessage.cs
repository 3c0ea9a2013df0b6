namespace Dm.Core.Api;

/// <summary>Body of every handler error: the full terror string and DM's numeric code (0 for non-DM errors).</summary>
public sealed record ErrorWithMessage
{
    public required int ErrorCode { get; init; }
    public required string ErrorMsg { get; init; }
}
