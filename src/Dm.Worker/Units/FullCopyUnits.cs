using Dm.Worker.Dump;
using Dm.Worker.Load;

namespace Dm.Worker.Units;

/// <summary>Builds the Dump and Load units of one subtask, sharing one streaming copy when streaming.</summary>
public static class FullCopyUnits
{
    public static (DumpUnit Dump, LoadUnit Load) Create(FullCopyContext context)
    {
        var streaming = context.Streaming ? new StreamingCopy(context) : null;
        return (new DumpUnit(context, streaming), new LoadUnit(context, streaming));
    }
}
