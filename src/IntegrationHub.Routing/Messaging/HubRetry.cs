using IntegrationHub.Persistence;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Routing.Messaging;

/// <summary>
/// The retries every hub endpoint that writes to the database uses (decision 0015), as two nested policies:
/// <list type="bullet">
/// <item>outside, a database outage (<see cref="StoreOutage"/>): the message is held, unacknowledged, and tried again with
/// waits growing from 1 s to <see cref="MessagingOptions.OutageRetryInterval"/>, for as long as the outage lasts. Nothing
/// is dead-lettered for it. When the hub stops meanwhile, the message goes back to its queue (MassTransit never moves a
/// cancelled message to the error queue) and is read again later;</item>
/// <item>inside, anything else: <see cref="MessagingOptions.RetryLimit"/> tries with exponential backoff, then the error
/// queue. An outage met on one of those tries goes straight to the outer policy.</item>
/// </list>
/// </summary>
public static class HubRetry
{
    /// <param name="ignore">Failures that must not be tried again at all (a refusal, a bad argument).</param>
    public static void UseHubRetry(this IConsumePipeConfigurator endpoint, MessagingOptions options, string endpointName, ILoggerFactory loggers,
        TimeSpan firstInterval, TimeSpan intervalDelta, Action<IRetryConfigurator>? ignore = null)
    {
        endpoint.UseHoldDuring(StoreOutage.Is, "The database cannot be reached", options.OutageRetryInterval, endpointName, loggers);
        endpoint.UseMessageRetry(r =>
        {
            r.Ignore<Exception>(StoreOutage.Is);
            ignore?.Invoke(r);
            if (options.RetryLimit == 0) r.None();
            else r.Exponential(options.RetryLimit, firstInterval, TimeSpan.FromSeconds(10), intervalDelta);
        });
    }

    /// <summary>
    /// Holds a message, unacknowledged, while <paramref name="outage"/> says what it needs is down, trying again with waits
    /// growing from 1 s to <paramref name="maxInterval"/> for as long as that lasts; other failures pass through to the
    /// policies inside. Logs <paramref name="what"/> at most once a minute for the endpoint.
    /// </summary>
    public static void UseHoldDuring(this IConsumePipeConfigurator endpoint, Func<Exception, bool> outage, string what, TimeSpan maxInterval,
        string endpointName, ILoggerFactory loggers)
    {
        var log = new OutageLog(loggers.CreateLogger("IntegrationHub.Routing.Messaging.HubRetry"), endpointName, what, outage);
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<Exception>(log.Held);
            r.Exponential(int.MaxValue, TimeSpan.FromSeconds(1), maxInterval, TimeSpan.FromSeconds(1));
        });
    }

    /// <summary>Says, at most once a minute per endpoint, that messages are being held for an outage, and how many times since.</summary>
    private sealed class OutageLog(ILogger logger, string endpointName, string what, Func<Exception, bool> outage)
    {
        private readonly Lock _lock = new();
        private DateTime _lastLogged = DateTime.MinValue;
        private long _heldSince;

        public bool Held(Exception exception)
        {
            if (!outage(exception)) return false;
            lock (_lock)
            {
                _heldSince++;
                var now = DateTime.UtcNow;
                if (now - _lastLogged < TimeSpan.FromMinutes(1)) return true;
                _lastLogged = now;
                // The exception's type only: its message may quote a host name or a connection string's user.
                logger.LogWarning("{What} ({ExceptionType}): messages on {Endpoint} are held and tried again until it can ({Tries} tries held since this was last said); nothing is moved to the error queue for it",
                    what, exception.GetType().Name, endpointName, _heldSince);
                _heldSince = 0;
            }
            return true;
        }
    }
}
