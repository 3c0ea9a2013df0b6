using System.Text;

namespace Dm.ClusterState;

/// <summary>
/// The byte range [Start, End) of the keys that start with a prefix, as etcd computes it:
/// End is the prefix with its last byte below 0xff incremented; null End means "to the last key".
/// </summary>
internal readonly record struct KeyRange(byte[] Start, byte[]? End)
{
    public static KeyRange ForPrefix(string prefix)
    {
        byte[] start = Encoding.UTF8.GetBytes(prefix);
        for (int i = start.Length - 1; i >= 0; i--)
        {
            if (start[i] < 0xff)
            {
                byte[] end = start[..(i + 1)];
                end[i]++;
                return new KeyRange(start, end);
            }
        }
        return new KeyRange(start, null);
    }
}
