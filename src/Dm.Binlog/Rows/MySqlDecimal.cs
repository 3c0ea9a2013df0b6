using System.Globalization;

namespace Dm.Binlog.Rows;

/// <summary>
/// A DECIMAL value as exact text (up to 65 digits, more than <see cref="decimal"/> holds), e.g. "-12.3400".
/// </summary>
public readonly record struct MySqlDecimal(string Text)
{
    /// <summary>The value as a .NET decimal; throws <see cref="OverflowException"/> beyond its 28–29 digits.</summary>
    public decimal ToDecimal() => decimal.Parse(Text, NumberStyles.Number, CultureInfo.InvariantCulture);

    public override string ToString() => Text;
}
