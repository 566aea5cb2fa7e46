using System.Diagnostics;
using System.Globalization;

namespace IntegrationHub.Testing;

/// <summary>Small operating-system helpers (Linux).</summary>
internal static class Os
{
    private static readonly Lazy<int> Euid = new(ReadEffectiveUid);

    /// <summary>True when this process runs as root.</summary>
    public static bool IsRoot => Euid.Value == 0;

    /// <summary>Where node folders go: /tmp as root (the service users must reach them), else the user's temp directory.</summary>
    public static string TempRoot => IsRoot ? "/tmp" : Path.GetTempPath();

    /// <summary>The effective user id, from /proc/self/status.</summary>
    public static int EffectiveUid => Euid.Value;

    public static bool UserExists(string user) =>
        File.ReadLines("/etc/passwd").Any(l => l.StartsWith(user + ":", StringComparison.Ordinal));

    /// <summary>chown -R user: path (only meaningful as root).</summary>
    public static Task ChownAsync(string path, string user, CancellationToken ct) =>
        ProcessRunner.RunAsync("chown", ["-R", $"{user}:", path], timeout: TimeSpan.FromSeconds(30), ct: ct);

    public static Task ChmodAsync(string path, string mode, CancellationToken ct) =>
        ProcessRunner.RunAsync("chmod", [mode, path], timeout: TimeSpan.FromSeconds(30), ct: ct);

    /// <summary>True when a process with this id exists (and is not a zombie).</summary>
    public static bool IsAlive(int pid) => StatFields(pid) is { Length: > 0 } fields && fields[0] != "Z";

    /// <summary>
    /// The fields of /proc/&lt;pid&gt;/stat after the command name: [0] is field 3 (the state), [1] the parent id,
    /// [19] field 22 (the start time in clock ticks). Null when the process is gone or not ours to read.
    /// </summary>
    public static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The ids of the processes in /proc now.</summary>
    public static IEnumerable<int> ProcessIds() =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    /// <summary>The ids of the direct children of a process.</summary>
    public static IReadOnlyList<int> ChildrenOf(int pid) =>
        [.. ProcessIds().Where(candidate => StatFields(candidate) is { Length: > 1 } fields
            && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) && parent == pid)];

    /// <summary>SIGKILL a process id (no error when it is already gone).</summary>
    public static void Kill(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            p.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone already.
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the timeout passes; returns whether it held.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var delay = 20;
        while (!condition())
        {
            if (sw.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 250);
        }

        return true;
    }

    private static int ReadEffectiveUid()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                return int.Parse(parts[2], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
