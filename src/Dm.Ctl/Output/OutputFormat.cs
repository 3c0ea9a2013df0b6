namespace Dm.Ctl.Output;

/// <summary>How results are printed: DM's JSON (default) or a readable table.</summary>
public enum OutputFormat
{
    Json,
    Table,
}
