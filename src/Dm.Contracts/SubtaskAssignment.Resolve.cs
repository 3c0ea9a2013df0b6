using Dm.Core.Config;
using Dm.Core.Errors;

namespace Dm.Contracts;

// How the master fills in an assignment's subtask config.
public sealed partial class SubtaskAssignment
{
    /// <summary>
    /// Sets the subtask config <paramref name="resolve"/> gives for this assignment's task on the worker's source or,
    /// when it throws, the error for the worker to show: DM's own, else DM's 20035 naming the task. The worker shows
    /// such a subtask Paused with that error until a different assignment comes.
    /// </summary>
    public SubtaskAssignment Resolve(Func<SubTaskConfig> resolve)
    {
        try
        {
            Config = ContractMapping.ToMessage(resolve());
        }
        catch (Exception e)
        {
            UnresolvedError = (e as DmException ?? DmErrors.ErrConfigEtcdParse.Wrap(e, $"task {Task}")).ToErrorMessage();
        }
        return this;
    }
}
