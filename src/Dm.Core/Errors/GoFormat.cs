using System.Collections;
using System.Globalization;
using System.Text;

namespace Dm.Core.Errors;

/// <summary>
/// Fills the Go fmt verbs used by DM's message formats (%s %v %+v %d %T %%) so that messages read the
/// same as DM's. Missing arguments render like Go's <c>%!s(MISSING)</c>.
/// </summary>
public static class GoFormat
{
    public static string Apply(string format, IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder(format.Length + 32);
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%' || i + 1 >= format.Length)
            {
                sb.Append(c);
                continue;
            }
            var j = i + 1;
            while (j < format.Length && "+-#0123456789.".Contains(format[j]))
                j++;
            if (j >= format.Length)
            {
                sb.Append(format, i, format.Length - i);
                break;
            }
            var verb = format[j];
            if (verb == '%')
            {
                sb.Append('%');
                i = j;
                continue;
            }
            if (next >= args.Count)
                sb.Append("%!").Append(verb).Append("(MISSING)");
            else
            {
                var arg = args[next++];
                sb.Append(verb == 'T' ? TypeName(arg) : Value(arg));
            }
            i = j;
        }
        return sb.ToString();
    }

    /// <summary>Go's %v: nil as &lt;nil&gt;, booleans lower-case, sequences as [a b c].</summary>
    public static string Value(object? arg) => arg switch
    {
        null => "<nil>",
        string s => s,
        bool b => b ? "true" : "false",
        Exception e => e.Message,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable seq => "[" + string.Join(" ", seq.Cast<object?>().Select(Value)) + "]",
        _ => arg.ToString() ?? "",
    };

    private static string TypeName(object? arg) => arg is null ? "<nil>" : arg.GetType().Name;
}
