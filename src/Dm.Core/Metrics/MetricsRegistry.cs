using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Dm.Core.Metrics;

/// <summary>
/// Counters and gauges rendered in Prometheus' text exposition format at <c>/metrics</c>.
/// Small on purpose: label sets are fixed strings, values are doubles updated lock-free.
/// </summary>
public sealed class MetricsRegistry
{
    private sealed class Family(string name, string help, string type)
    {
        public readonly string Name = name, Help = help, Type = type;
        public readonly ConcurrentDictionary<string, double[]> Series = new(StringComparer.Ordinal);
        public readonly ConcurrentDictionary<string, Func<double>> Observed = new(StringComparer.Ordinal);
    }

    private readonly ConcurrentDictionary<string, Family> _families = new(StringComparer.Ordinal);

    public void Increment(string name, string help, double by = 1, params (string Key, string Value)[] labels)
    {
        var cell = Cell(name, help, "counter", labels);
        double current, next;
        do
        {
            current = Volatile.Read(ref cell[0]);
            next = current + by;
        } while (Interlocked.CompareExchange(ref cell[0], next, current) != current);
    }

    public void Set(string name, string help, double value, params (string Key, string Value)[] labels) =>
        Volatile.Write(ref Cell(name, help, "gauge", labels)[0], value);

    /// <summary>A gauge read when scraped, e.g. the number of stored sources.</summary>
    public void Observe(string name, string help, Func<double> read, params (string Key, string Value)[] labels) =>
        _families.GetOrAdd(name, n => new Family(n, help, "gauge")).Observed[Labels(labels)] = read;

    public string Render()
    {
        var text = new StringBuilder();
        foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(family.Help).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type).Append('\n');
            foreach (var (labels, cell) in family.Series.OrderBy(s => s.Key, StringComparer.Ordinal))
                Line(text, family.Name, labels, Volatile.Read(ref cell[0]));
            foreach (var (labels, read) in family.Observed.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                double value;
                try { value = read(); }
                catch (Exception) { value = double.NaN; }
                Line(text, family.Name, labels, value);
            }
        }
        return text.ToString();
    }

    private static void Line(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append(labels).Append(' ')
            .Append(double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');

    private double[] Cell(string name, string help, string type, (string Key, string Value)[] labels) =>
        _families.GetOrAdd(name, n => new Family(n, help, type)).Series.GetOrAdd(Labels(labels), _ => new double[1]);

    private static string Labels((string Key, string Value)[] labels)
    {
        if (labels.Length == 0) return "";
        var text = new StringBuilder("{");
        for (var i = 0; i < labels.Length; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(labels[i].Key).Append("=\"")
                .Append(labels[i].Value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")).Append('"');
        }
        return text.Append('}').ToString();
    }
}
