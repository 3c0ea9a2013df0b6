namespace Dm.TestKit;

/// <summary>
/// With DM_TEST_KEEP_LOGS=DIR set, a dm-master/dm-worker log is copied there before its directory is removed,
/// for post-mortems of a failure that does not reproduce on demand.
/// </summary>
public static class KeptLogs
{
    public static void Keep(string logPath, string name)
    {
        var dir = Environment.GetEnvironmentVariable("DM_TEST_KEEP_LOGS");
        if (string.IsNullOrEmpty(dir) || !File.Exists(logPath)) return;
        try
        {
            Directory.CreateDirectory(dir);
            File.Copy(logPath, Path.Combine(dir, $"{DateTime.UtcNow:HHmmss.fff}-{name}-{Path.GetFileName(logPath)}"), overwrite: true);
        }
        catch (IOException) { }
    }
}
