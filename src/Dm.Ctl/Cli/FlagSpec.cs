namespace Dm.Ctl.Cli;

public enum FlagKind
{
    /// <summary>--flag or --flag=false.</summary>
    Bool,

    /// <summary>--flag value or --flag=value; the last one wins.</summary>
    Value,

    /// <summary>Repeatable and comma-separated, like cobra's StringSlice.</summary>
    List,
}

/// <summary>One command-line flag as DM's cobra commands declare it.</summary>
public sealed record FlagSpec(string Long, string? Short, FlagKind Kind, string Help)
{
    public static FlagSpec Bool(string name, string? shorthand, string help) => new(name, shorthand, FlagKind.Bool, help);
    public static FlagSpec Value(string name, string? shorthand, string help) => new(name, shorthand, FlagKind.Value, help);
    public static FlagSpec List(string name, string? shorthand, string help) => new(name, shorthand, FlagKind.List, help);
}
