using IntegrationHub.Persistence;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Routing.Recovery;

/// <summary>The loop shared by the hub's sweepers: run the work now and then on every tick, log a failure and carry on.</summary>
public static class PeriodicSweep
{
    /// <param name="what">Names the work in the warning when a sweep fails (e.g. "Deadline sweep").</param>
    public static async Task RunAsync(TimeSpan interval, TimeProvider clock, Func<CancellationToken, Task> sweep, ILogger logger, string what,
        CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            // Off the timer's thread: a test clock moved by days fires every tick inline, and SQLite's "async" calls
            // complete synchronously, so without this each tick would run a whole sweep inside the clock's Advance.
            await Task.Yield();
            try
            {
                await sweep(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "{What} failed; will try again", what);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>How many of the items a sweep could not finish are named one by one in the log.</summary>
    public const int FailuresNamed = 10;

    /// <summary>
    /// True when <paramref name="exception"/>, met while a sweep worked on one item, is that item's failure: it is logged
    /// and the item tried again at the next sweep, and the items behind it are still done. False when the sweep itself
    /// is being stopped, and for a database outage (<see cref="StoreOutage"/>), which is no one item's failure: it fails
    /// the sweep, logged once by <see cref="RunAsync"/>, instead of failing every item behind it one by one.
    /// </summary>
    public static bool IsItemFailure(Exception exception, CancellationToken stoppingToken) =>
        !StoreOutage.Is(exception) && (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested);

    /// <summary>
    /// Names the first <see cref="FailuresNamed"/> items a sweep could not finish (<paramref name="nameOne"/>), then counts
    /// the rest (<paramref name="countRest"/>): a batch that fails whole every sweep does not flood the log.
    /// </summary>
    public static void LogItemFailures<T>(IReadOnlyCollection<T> failures, Action<T> nameOne, Action<int> countRest)
    {
        foreach (var failure in failures.Take(FailuresNamed)) nameOne(failure);
        if (failures.Count > FailuresNamed) countRest(failures.Count - FailuresNamed);
    }
}
