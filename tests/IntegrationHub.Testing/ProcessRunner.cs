using System.Diagnostics;
using System.Text;

namespace IntegrationHub.Testing;

/// <summary>The outcome of a finished command.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Standard output and standard error together, for error messages.</summary>
    public string CombinedOutput => string.IsNullOrWhiteSpace(StandardError) ? StandardOutput : $"{StandardOutput}\n[stderr]\n{StandardError}";
}

/// <summary>Thrown when a command exits non-zero or runs out of time; the message carries its output.</summary>
public sealed class ProcessFailedException : Exception
{
    public ProcessFailedException(string message, ProcessResult? result = null, Exception? inner = null)
        : base(message, inner) => Result = result;

    public ProcessFailedException() : base("A process failed.") { }

    public ProcessFailedException(string message) : base(message) { }

    public ProcessFailedException(string message, Exception inner) : base(message, inner) { }

    /// <summary>What the command printed, when it got as far as finishing.</summary>
    public ProcessResult? Result { get; }
}

/// <summary>Runs short-lived commands with a timeout and captured output.</summary>
public static class ProcessRunner
{
    /// <summary>Default bound on one command.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="args"/> and returns its output; throws
    /// <see cref="ProcessFailedException"/> (with the output) on a non-zero exit unless
    /// <paramref name="throwOnError"/> is false, and always when the timeout passes (the process tree is killed).
    /// </summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        TimeSpan? timeout = null,
        bool throwOnError = true,
        CancellationToken ct = default)
    {
        var psi = CreateStartInfo(fileName, args, environment, workingDirectory);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        var command = Describe(fileName, psi.ArgumentList);
        var limit = timeout ?? DefaultTimeout;

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new ProcessFailedException($"Could not start `{command}`: {e.Message}", null, e);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            TryKillTree(process);
            var partial = new ProcessResult(command, -1, await Drain(stdout).ConfigureAwait(false), await Drain(stderr).ConfigureAwait(false));
            if (ct.IsCancellationRequested)
            {
                throw;
            }

            throw new ProcessFailedException($"`{command}` did not finish within {limit.TotalSeconds:0.#}s and was killed. Output so far:\n{Tail(partial.CombinedOutput)}", partial);
        }

        // A daemon started by the command may inherit its pipes; do not wait for their end forever.
        var result = new ProcessResult(command, process.ExitCode, await Drain(stdout).ConfigureAwait(false), await Drain(stderr).ConfigureAwait(false));
        if (throwOnError && result.ExitCode != 0)
        {
            throw new ProcessFailedException($"`{command}` exited with code {result.ExitCode}:\n{Tail(result.CombinedOutput)}", result);
        }

        return result;
    }

    /// <summary>Builds a start info with an argument list and environment overrides (null value removes a variable).</summary>
    public static ProcessStartInfo CreateStartInfo(
        string fileName,
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(fileName) { UseShellExecute = false, CreateNoWindow = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                if (value is null)
                {
                    psi.Environment.Remove(key);
                }
                else
                {
                    psi.Environment[key] = value;
                }
            }
        }

        if (workingDirectory is not null)
        {
            psi.WorkingDirectory = workingDirectory;
        }

        return psi;
    }

    /// <summary>A shell-like rendering of a command line for messages.</summary>
    public static string Describe(string fileName, IEnumerable<string> args)
    {
        var sb = new StringBuilder(fileName);
        foreach (var a in args)
        {
            sb.Append(' ');
            sb.Append(a.Length == 0 || a.Any(char.IsWhiteSpace) ? $"'{a}'" : a);
        }

        return sb.ToString();
    }

    /// <summary>The last <paramref name="lines"/> lines of a text.</summary>
    public static string Tail(string text, int lines = 40)
    {
        var all = text.Split('\n');
        return all.Length <= lines ? text : string.Join('\n', all[^lines..]);
    }

    /// <summary>The last lines of a file, or a note that it cannot be read.</summary>
    public static string TailFile(string path, int lines = 40)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return Tail(reader.ReadToEnd(), lines);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(could not read {path}: {e.Message})";
        }
    }

    internal static void TryKillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    private static async Task<string> Drain(Task<string> read)
    {
        var done = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        return done == read ? await read.ConfigureAwait(false) : "(output not closed: a child process still holds it)";
    }
}
