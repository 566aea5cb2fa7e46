using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Protocol.Release;

namespace IntegrationHub.Protocol;

/// <summary>Collects what the rules say about one message; rules only add, never remove (the hub never drops a concern).</summary>
public sealed class DecisionBuilder
{
    private readonly Dictionary<Recipient, RecipientEntry> _recipients = [];
    private readonly List<RequiredAction> _actions = [];
    private readonly List<Deadline> _deadlines = [];
    private readonly List<RuleFired> _rules = [];
    private readonly List<SenderWarning> _warnings = [];
    private readonly List<string> _flags = [];

    public IReadOnlyList<RuleFired> RulesFired => _rules;

    public bool Has(Recipient recipient) => _recipients.ContainsKey(recipient);

    /// <summary>Records that a rule applied, with its plain-English reason.</summary>
    public DecisionBuilder Fire(IProtocolRule rule, string reason)
    {
        _rules.Add(new RuleFired(rule.Id, rule.Section, reason));
        return this;
    }

    /// <summary>Adds a recipient, or raises its priority and adds a purpose if it is already named.</summary>
    public DecisionBuilder Notify(Recipient recipient, Priority priority, string purpose, string ruleId, bool mandatory = true)
    {
        if (_recipients.TryGetValue(recipient, out var entry))
        {
            entry.Priority = (Priority)Math.Max((int)entry.Priority, (int)priority);
            entry.Mandatory |= mandatory;
            if (!entry.Purposes.Contains(purpose)) entry.Purposes.Add(purpose);
            if (!entry.RuleIds.Contains(ruleId)) entry.RuleIds.Add(ruleId);
        }
        else
        {
            _recipients[recipient] = new RecipientEntry(priority, mandatory, [purpose], [ruleId], _recipients.Count);
        }
        return this;
    }

    /// <summary>Raises the priority of every recipient named so far to at least <paramref name="priority"/>.</summary>
    public DecisionBuilder RaisePriority(Priority priority)
    {
        foreach (var entry in _recipients.Values)
            entry.Priority = (Priority)Math.Max((int)entry.Priority, (int)priority);
        return this;
    }

    public DecisionBuilder Act(string kind, string owner, string reason, string ruleId)
    {
        if (!_actions.Exists(a => a.Kind == kind && a.Owner == owner)) _actions.Add(new RequiredAction(kind, owner, reason, ruleId));
        return this;
    }

    public DecisionBuilder Due(string kind, DateTimeOffset dueAt, string owner, string ruleId)
    {
        if (!_deadlines.Exists(d => d.Kind == kind && d.Owner == owner)) _deadlines.Add(new Deadline(kind, dueAt, owner, ruleId));
        return this;
    }

    public DecisionBuilder Warn(string code, string message, string? field = null)
    {
        if (!_warnings.Exists(w => w.Code == code && w.Field == field)) _warnings.Add(new SenderWarning(code, message, field));
        return this;
    }

    public DecisionBuilder Flag(string flag)
    {
        if (!_flags.Contains(flag)) _flags.Add(flag);
        return this;
    }

    public RoutingDecision Build(string protocolVersion) => new()
    {
        ProtocolVersion = protocolVersion,
        Recipients = _recipients
            .OrderByDescending(r => r.Value.Priority).ThenBy(r => r.Value.Order)
            .Select(r => new RecipientDecision
            {
                Recipient = r.Key,
                Priority = r.Value.Priority,
                Purpose = string.Join(" ", r.Value.Purposes),
                Mandatory = r.Value.Mandatory,
                RuleIds = r.Value.RuleIds,
                FieldsReleased = ReleaseProfiles.For(r.Key).Released,
                FieldsWithheld = ReleaseProfiles.For(r.Key).Withheld,
            })
            .ToArray(),
        Actions = _actions.ToArray(),
        Deadlines = _deadlines.ToArray(),
        RulesFired = _rules.ToArray(),
        Warnings = _warnings.ToArray(),
        Flags = _flags.ToArray(),
    };

    private sealed class RecipientEntry(Priority priority, bool mandatory, List<string> purposes, List<string> ruleIds, int order)
    {
        public Priority Priority { get; set; } = priority;
        public bool Mandatory { get; set; } = mandatory;
        public List<string> Purposes { get; } = purposes;
        public List<string> RuleIds { get; } = ruleIds;
        public int Order { get; } = order;
    }
}
