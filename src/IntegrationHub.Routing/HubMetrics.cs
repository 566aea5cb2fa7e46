using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace IntegrationHub.Routing;

/// <summary>The hub's own meters and activity source. Tags are agencies, kinds, recipients and outcomes: never personal data.</summary>
public sealed class HubMetrics : IDisposable
{
    public const string MeterName = "IntegrationHub";
    public const string ActivitySourceName = "IntegrationHub";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    private readonly Meter _meter;
    private readonly Counter<long> _received;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _quarantined;
    private readonly Histogram<double> _decisionTime;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _failed;
    private readonly Histogram<int> _groupCommit;
    private readonly Histogram<double> _groupCommitTime;

    public HubMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _received = _meter.CreateCounter<long>("hub.messages.received", "{message}", "Messages accepted from agencies, by agency, kind and channel.");
        _delivered = _meter.CreateCounter<long>("hub.deliveries.sent", "{delivery}", "Deliveries sent to recipients, by recipient.");
        _quarantined = _meter.CreateCounter<long>("hub.quarantine.added", "{message}", "Inputs refused and kept in quarantine, by channel and reason code.");
        _refused = _meter.CreateCounter<long>("hub.inbound.refused", "{message}", "Inbound messages refused (AMQP: moved to the agency's error queue), by channel and reason code.");
        _failed = _meter.CreateCounter<long>("hub.failures", "{message}", "Messages the router gave up on after retries, by cause (a hash of exception type and message shape) and exception type.");
        _decisionTime = _meter.CreateHistogram<double>("hub.decision.duration", "ms", "Time to decide, persist and stage the deliveries of one message.");
        _groupCommit = _meter.CreateHistogram<int>("hub.commit.group_size", "{message}", "Messages committed together in one transaction (group commit), by what was committed (decisions, sent-marks).");
        _groupCommitTime = _meter.CreateHistogram<double>("hub.commit.duration", "ms", "Time to commit one group (one transaction), by what was committed.");
    }

    public void Received(string agency, string kind, string channel) =>
        _received.Add(1, new("agency", agency), new("kind", kind), new("channel", channel));

    public void Delivered(string recipient) => _delivered.Add(1, new KeyValuePair<string, object?>("recipient", recipient));

    public void Quarantined(string channel, string reasonCode) =>
        _quarantined.Add(1, new("channel", channel), new("reason", reasonCode));

    public void Refused(string channel, string reasonCode) =>
        _refused.Add(1, new("channel", channel), new("reason", reasonCode));

    public void Decided(TimeSpan elapsed, string kind) =>
        _decisionTime.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("kind", kind));

    public void Failed(string cause, string exceptionType) =>
        _failed.Add(1, new("cause", cause), new("exception_type", exceptionType));

    public void GroupCommitted(string what, int messages, TimeSpan elapsed)
    {
        _groupCommit.Record(messages, new KeyValuePair<string, object?>("what", what));
        _groupCommitTime.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("what", what));
    }

    /// <summary>The hub's meter, for gauges other parts observe (quarantine size, overdue deadlines).</summary>
    public Meter Meter => _meter;

    public void Dispose() => _meter.Dispose();
}
