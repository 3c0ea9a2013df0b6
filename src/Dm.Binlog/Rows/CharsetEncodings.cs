using System.Text;

namespace Dm.Binlog.Rows;

/// <summary>Maps a collation id to the .NET encoding of its character set (null for binary).</summary>
public static class CharsetEncodings
{
    public const int BinaryCollation = 63;

    static CharsetEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The character set name of a collation id, or null when the id is unknown.</summary>
    public static string? CharsetOf(int collationId)
    {
        var ranges = CollationCharsets.Ranges;
        int lo = 0, hi = ranges.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (collationId < ranges[mid].First) hi = mid - 1;
            else if (collationId > ranges[mid].Last) lo = mid + 1;
            else return ranges[mid].Charset;
        }
        return null;
    }

    /// <summary>The encoding of a collation id; null for binary; UTF-8 for ids this table does not know.</summary>
    public static Encoding? ForCollation(int collationId)
    {
        var charset = CharsetOf(collationId);
        return charset == null ? Encoding.UTF8 : ForCharset(charset);
    }

    public static Encoding? ForCharset(string charset) => charset switch
    {
        "binary" => null,
        "utf8mb4" or "utf8mb3" or "utf8" => Encoding.UTF8,
        "ascii" => Encoding.ASCII,
        // MySQL's latin1 is Windows-1252, not ISO-8859-1.
        "latin1" => Encoding.GetEncoding(1252),
        "ucs2" or "utf16" => Encoding.BigEndianUnicode,
        "utf16le" => Encoding.Unicode,
        "utf32" => new UTF32Encoding(bigEndian: true, byteOrderMark: false),
        "cp1250" => Encoding.GetEncoding(1250),
        "cp1251" => Encoding.GetEncoding(1251),
        "cp1256" => Encoding.GetEncoding(1256),
        "cp1257" => Encoding.GetEncoding(1257),
        "cp850" => Encoding.GetEncoding(850),
        "cp852" => Encoding.GetEncoding(852),
        "cp866" => Encoding.GetEncoding(866),
        "latin2" => Encoding.GetEncoding(28592),
        "latin5" => Encoding.GetEncoding(28599),
        "latin7" => Encoding.GetEncoding(28603),
        "greek" => Encoding.GetEncoding(28597),
        "hebrew" => Encoding.GetEncoding(28598),
        "koi8r" => Encoding.GetEncoding(20866),
        "koi8u" => Encoding.GetEncoding(21866),
        "big5" => Encoding.GetEncoding(950),
        "gbk" or "gb2312" => Encoding.GetEncoding(936),
        "gb18030" => Encoding.GetEncoding(54936),
        "sjis" or "cp932" => Encoding.GetEncoding(932),
        "ujis" or "eucjpms" => Encoding.GetEncoding(51932),
        "euckr" => Encoding.GetEncoding(51949),
        "tis620" => Encoding.GetEncoding(874),
        "macroman" => Encoding.GetEncoding(10000),
        "macce" => Encoding.GetEncoding(10029),
        // armscii8, dec8, hp8, swe7, keybcs2, geostd8 have no .NET code page: bytes map one to one.
        _ => Encoding.Latin1,
    };
}
