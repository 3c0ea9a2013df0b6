namespace Dm.Ctl.Cli;

/// <summary>dmctl's root flags; they may appear before or after the command, as cobra persistent flags.</summary>
public static class GlobalFlags
{
    public const string MasterAddr = "master-addr";
    public const string RpcTimeout = "rpc-timeout";
    public const string Output = "output";
    public const string Source = "source";
    public const string Version = "version";
    public const string Help = "help";
    public const string Config = "config";
    public const string SslCa = "ssl-ca";
    public const string SslCert = "ssl-cert";
    public const string SslKey = "ssl-key";

    public static readonly IReadOnlyList<FlagSpec> All =
    [
        FlagSpec.Value(MasterAddr, null, "master API server address, comma-separated; also DM_MASTER_ADDR"),
        FlagSpec.Value(RpcTimeout, null, "timeout of each request to the master, Go duration (default 10m)"),
        FlagSpec.Value(Output, "o", "json (default, as DM) or table"),
        FlagSpec.List(Source, "s", "MySQL source ID(s)"),
        FlagSpec.Bool(Version, "V", "print version and exit"),
        FlagSpec.Bool(Help, "h", "help for dmctl or a command"),
        FlagSpec.Value(Config, null, "path to a dmctl config file (not supported: use flags or DM_MASTER_ADDR)"),
        FlagSpec.Value(SslCa, null, "path of file that contains list of trusted SSL CAs for connection (https to the masters)"),
        FlagSpec.Value(SslCert, null, "path of file that contains X509 certificate in PEM format for connection"),
        FlagSpec.Value(SslKey, null, "path of file that contains X509 key in PEM format for connection"),
    ];
}
