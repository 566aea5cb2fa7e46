using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Protocol.Calendar;
using IntegrationHub.Protocol.Rules;

namespace IntegrationHub.Protocol;

/// <summary>
/// The information-sharing protocol: given a message, the time and the child's history, who is told what and why.
/// Pure: no I/O and no clock, so the same input always gives the same decision.
/// </summary>
public sealed class SharingProtocol
{
    private readonly ProtocolOptions _options;
    private readonly WorkingCalendar _calendar;
    private readonly IReadOnlyList<IProtocolRule> _rules;

    public SharingProtocol(ProtocolOptions options)
    {
        _options = options;
        _calendar = new WorkingCalendar(options.BankHolidayRules, options.BankHolidays, options.NotBankHolidays, options.TimeZone);
        _rules = ConcernRules.All;
    }

    public ProtocolOptions Options => _options;
    public WorkingCalendar Calendar => _calendar;
    public IReadOnlyList<IProtocolRule> Rules => _rules;

    public RoutingDecision Evaluate(ConcernRaised message, ProtocolContext context)
    {
        var facts = new ConcernFacts(message, context, _options, _calendar);
        var decision = new DecisionBuilder();
        foreach (var rule in _rules) rule.Apply(facts, decision);
        return decision.Build(_options.Version);
    }
}
