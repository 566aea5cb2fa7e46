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
}
