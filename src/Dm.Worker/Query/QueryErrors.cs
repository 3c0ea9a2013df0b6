using Dm.Contracts;
using Dm.Core.Errors;

namespace Dm.Worker.Query;

/// <summary>Turns what a query threw into the reply's <see cref="QueryError"/>, keeping DM's code and words.</summary>
public static class QueryErrors
{
    public static QueryError From(Exception e)
    {
        var dm = e switch
        {
            DmException d => d,
            MySqlConnector.MySqlException m => DmErrors.ErrDBDriverError.Wrap(m),
            // Anything else is the worker's own failure: DM's "some error occurs in dm-worker".
            _ => DmErrors.ErrMasterOperRespNotSuccess.New(e.Message),
        };
        return new QueryError { Code = dm.Code, Message = dm.RawMessage, Cause = dm.InnerException?.Message ?? "" };
    }
}
