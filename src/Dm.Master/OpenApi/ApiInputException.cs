namespace Dm.Master.OpenApi;

/// <summary>
/// A request that does not fit the API's schema (bad JSON, wrong type, missing field, unknown enum
/// value, bad query parameter). Rendered as 400 before any handler logic runs, so nothing is changed.
/// </summary>
public sealed class ApiInputException(string message, int status = StatusCodes.Status400BadRequest) : Exception(message)
{
    public int Status { get; } = status;
}
