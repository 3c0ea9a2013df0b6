using Dm.Core.CommandLine;
using Dm.Master.Hosting;

// dm-master: DM's OpenAPI over the cluster-state store. Exit status 2 for bad flags or config, as DM.
MasterOptions options;
try
{
    options = MasterCommandLine.Parse(args);
}
catch (ProcessConfigException e)
{
    Console.Error.WriteLine($"dm-master: {e.Message}");
    return 2;
}

try
{
    await using var host = await MasterHost.StartAsync(options);
    await host.WaitForShutdownAsync();
    return 0;
}
catch (ProcessConfigException e)
{
    Console.Error.WriteLine($"dm-master: {e.Message}");
    return 2;
}
