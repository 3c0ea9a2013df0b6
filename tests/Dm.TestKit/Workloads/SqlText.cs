using System.Globalization;
using System.Text;

namespace Dm.TestKit.Workloads;

/// <summary>
/// How the workload writes names and values into SQL: identifiers backtick-quoted, strings as hex
/// converted from UTF-8 (no escaping to get wrong), bytes as hex literals, numbers invariant.
/// </summary>
public static class SqlText
{
    public static string Name(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";

    public static string Name(string schema, string table) => Name(schema) + "." + Name(table);

    public static string Text(string value) => value.Length == 0 ? "''" : $"CONVERT(x'{Convert.ToHexString(Encoding.UTF8.GetBytes(value))}' USING utf8mb4)";

    public static string Bytes(byte[] value) => $"x'{Convert.ToHexString(value)}'";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A quoted literal of characters that need no escaping (digits, dates, times).</summary>
    public static string Plain(string value) => "'" + value + "'";
}
