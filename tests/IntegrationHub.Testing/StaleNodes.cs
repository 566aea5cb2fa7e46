using System.Globalization;
using System.Text;

namespace IntegrationHub.Testing;

/// <summary>
/// Nodes (and hub processes) left behind by a test or benchmark process that was killed (SIGKILL, a CI time-out)
/// before it could stop them. Their processes keep running, and their folders stay in the temp directory (7.9 GB of
/// them on one machine).
/// Each node folder holds an owner file naming the process that started it (its id and start time). Before a process
/// starts its first node, it sweeps the folders whose owner has gone: it kills the processes whose command line names
/// the folder, with their children, then deletes the folder. A folder with no owner file is swept once it is an hour
/// old; a folder kept on purpose (<see cref="Keep"/>) never is.
/// </summary>
public static class StaleNodes
{
    /// <summary>The file in a node folder that names its owner: "&lt;pid&gt; &lt;start time in clock ticks&gt;".</summary>
    public const string OwnerFile = "owner";

    /// <summary>PostgreSQL and RabbitMQ nodes; the fault harness's and the benchmark's hub folders (HubProcess).</summary>
    private static readonly string[] Prefixes = ["ihtest-pg-", "ihtest-rmq-", "ih-fault-", "ih-bench-"];
    private static int swept;

    /// <summary>Marks <paramref name="directory"/> (a node folder just made) as this process's.</summary>
    public static void Claim(string directory) =>
        File.WriteAllText(Path.Combine(directory, OwnerFile), $"{Environment.ProcessId} {StartTime(Environment.ProcessId)}");

    /// <summary>Marks a folder kept on purpose (a kept temp directory, <c>FAULT_KEEP=1</c>): never swept.</summary>
    public const string KeptFile = "kept";

    /// <summary>Keeps <paramref name="directory"/> for whoever asked to look at it; its processes have been stopped.</summary>
    public static void Keep(string directory)
    {
        if (Directory.Exists(directory)) File.WriteAllText(Path.Combine(directory, KeptFile), "kept on purpose; delete the folder when done\n");
    }

    /// <summary>Sweeps <paramref name="root"/> the first time a node starts in this process.</summary>
    internal static void SweepOnce(string root)
    {
        if (Interlocked.Exchange(ref swept, 1) == 0)
        {
            foreach (var dir in Sweep(root, TimeSpan.FromHours(1)))
            {
                Console.Error.WriteLine($"IntegrationHub.Testing: removed a node left by a process that has gone: {dir}");
            }
        }
    }

    /// <summary>
    /// Removes the node folders in <paramref name="root"/> whose owner has gone (or, without an owner file, older than
    /// <paramref name="unownedAfter"/>), after killing the processes that name them. Returns the folders removed.
    /// </summary>
    public static IReadOnlyList<string> Sweep(string root, TimeSpan unownedAfter)
    {
        var removed = new List<string>();
        var folders = Directory.EnumerateDirectories(root)
            .Where(d => Prefixes.Any(p => Path.GetFileName(d).StartsWith(p, StringComparison.Ordinal)))
            .ToList();
        foreach (var folder in folders)
        {
            if (!IsStale(folder, unownedAfter))
            {
                continue;
            }

            foreach (var pid in ProcessesNaming(folder))
            {
                var children = Os.ChildrenOf(pid);
                Os.Kill(pid);
                foreach (var child in children)
                {
                    Os.Kill(child);
                }
            }

            RabbitMqNode.TryDeleteDirectory(folder);
            if (!Directory.Exists(folder))
            {
                removed.Add(folder);
            }
        }

        return removed;
    }

    private static bool IsStale(string folder, TimeSpan unownedAfter)
    {
        if (File.Exists(Path.Combine(folder, KeptFile)))
        {
            return false;
        }

        string owner;
        try
        {
            owner = File.ReadAllText(Path.Combine(folder, OwnerFile)).Trim();
        }
        catch (FileNotFoundException)
        {
            return DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) > unownedAfter;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // Being written or not ours to read: leave it.
        }

        var parts = owner.Split(' ');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        // A live process with the same id but another start time is not the owner: the id was reused.
        return !Os.IsAlive(pid) || StartTime(pid) != parts[1];
    }

    /// <summary>Processes whose command line names the folder (postgres -D &lt;folder&gt;/data, beam's -home &lt;folder&gt;/home, a hub's --TestHarnessFolder=&lt;folder&gt;).</summary>
    private static List<int> ProcessesNaming(string folder)
    {
        var pids = new List<int>();
        foreach (var pid in Os.ProcessIds().Where(pid => pid != Environment.ProcessId))
        {
            try
            {
                var commandLine = Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(folder + "/", StringComparison.Ordinal) || commandLine.TrimEnd().EndsWith(folder, StringComparison.Ordinal))
                {
                    pids.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone while we looked.
            }
        }

        return pids;
    }

    /// <summary>Field 22 of /proc/&lt;pid&gt;/stat: when the process started, in clock ticks since boot; "" if gone.</summary>
    private static string StartTime(int pid) => Os.StatFields(pid) is { Length: > 19 } fields ? fields[19] : "";
}
