using Dm.Core.CommandLine;
using Dm.Worker.Hosting;

// dm-worker: runs the subtasks of the source the master binds to it. Exit status 2 for bad flags or config, as DM.
try
{
    var options = WorkerCommandLine.Parse(args);
    await using var app = await WorkerHost.StartAsync(options);
    await app.WaitForShutdownAsync();
    return 0;
}
catch (ProcessConfigException e)
{
    Console.Error.WriteLine($"dm-worker: {e.Message}");
    return 2;
}
