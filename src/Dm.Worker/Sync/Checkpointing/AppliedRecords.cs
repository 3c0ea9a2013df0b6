using System.Globalization;
using Dm.Binlog.Replication;

namespace Dm.Worker.Sync.Checkpointing;

/// <summary>
/// What the applied rows (<c>&lt;meta&gt;.&lt;task&gt;_syncer_applied</c>) say beyond the global checkpoint, read back typed: the
/// upstream transactions already in the target (each named by the position right after its opening GTID/BEGIN event) and,
/// for a DDL an earlier run was applying, how many of its pieces were done and whether the next one was in flight.
/// Text form, one entry per line: <c>file:pos</c> for a transaction, <c>ddl:file:pos@done</c> (<c>?</c> appended while in flight).
/// </summary>
internal sealed class AppliedRecords
{
    private const string DdlPrefix = "ddl:";

    private readonly HashSet<BinlogPosition> _transactions = [];
    private readonly Dictionary<BinlogPosition, (int Done, bool InFlight)> _ddl = [];

    public int Count => _transactions.Count + _ddl.Count;

    /// <summary>Reads one applied row's text; a line this format does not know is a corrupt checkpoint.</summary>
    public void Add(string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith(DdlPrefix, StringComparison.Ordinal))
            {
                var at = line.LastIndexOf('@');
                var done = line[(at + 1)..];
                var inFlight = done.EndsWith('?');
                if (at < 0 || !BinlogPosition.TryParse(line[DdlPrefix.Length..at], out var position)
                    || !int.TryParse(inFlight ? done[..^1] : done, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                    throw new InvalidDataException($"applied row entry '{line}' is not ddl:file:pos@n");
                _ddl[position] = (count, inFlight);
            }
            else
            {
                _transactions.Add(BinlogPosition.TryParse(line, out var position)
                    ? position : throw new InvalidDataException($"applied row entry '{line}' is not file:pos"));
            }
        }
    }

    /// <summary>
    /// The records with every position put in another form (DM's relay form or the upstream's file names), for a run that
    /// reads from another source than the run that wrote them.
    /// </summary>
    public AppliedRecords InForm(Func<BinlogPosition, BinlogPosition> form)
    {
        var renamed = new AppliedRecords();
        foreach (var transaction in _transactions) renamed._transactions.Add(form(transaction));
        foreach (var (position, progress) in _ddl) renamed._ddl[form(position)] = progress;
        return renamed;
    }

    /// <summary>Whether the transaction opened at <paramref name="id"/> is already applied; it is forgotten once asked.</summary>
    public bool TakeTransaction(BinlogPosition id) => _transactions.Count > 0 && _transactions.Remove(id);

    /// <summary>What an earlier run did of the DDL at <paramref name="id"/>; forgotten once asked.</summary>
    public (int Done, bool InFlight)? TakeDdl(BinlogPosition id) => _ddl.Remove(id, out var progress) ? progress : null;

    /// <summary>The text of a batch's row naming <paramref name="transactions"/>.</summary>
    public static string Text(IEnumerable<BinlogPosition> transactions) => string.Join('\n', transactions);

    /// <summary>The text of a DDL's progress row.</summary>
    public static string DdlText(BinlogPosition id, int done, bool inFlight) =>
        string.Create(CultureInfo.InvariantCulture, $"{DdlPrefix}{id}@{done}{(inFlight ? "?" : "")}");
}
