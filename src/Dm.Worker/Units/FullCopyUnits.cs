using Dm.Worker.Dump;
using Dm.Worker.Load;

namespace Dm.Worker.Units;

/// <summary>
/// Builds the Dump and Load units of one subtask, sharing one streaming copy when streaming. A task that asks for
/// CSV files (<c>--filetype csv</c>) gets them: it copies through the dump dir even when streaming was possible.
/// </summary>
public static class FullCopyUnits
{
    public static (DumpUnit Dump, LoadUnit Load) Create(FullCopyContext context)
    {
        var streaming = context.Streaming && !DumpExtraArgs.AsksForCsv(context.Config.Mydumper.ExtraArgs) ? new StreamingCopy(context) : null;
        return (new DumpUnit(context, streaming), new LoadUnit(context, streaming));
    }
}
