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
    private Priority _priorityFloor = Priority.Routine;
    private bool _anonymous;

    public IReadOnlyList<RuleFired> RulesFired => _rules;

    public bool Has(Recipient recipient) => _recipients.ContainsKey(recipient);

    /// <summary>True once any recipient has been named.</summary>
    public bool HasAnyRecipient => _recipients.Count > 0;

    public bool HasFlag(string flag) => _flags.Contains(flag);

    public bool HasAction(string kind)
    {
        foreach (var a in _actions) if (a.Kind == kind) return true;
        return false;
    }

    /// <summary>Records that a rule applied, with its plain-English reason.</summary>
    public DecisionBuilder Fire(IProtocolRule rule, string reason)
    {
        _rules.Add(new RuleFired(rule.Id, rule.Section, reason));
        return this;
    }

    /// <summary>Records that a rule outside the concern list (MIS, RI, PAT) applied.</summary>
    public DecisionBuilder Fire(string ruleId, string section, string reason)
    {
        _rules.Add(new RuleFired(ruleId, section, reason));
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

    /// <summary>
    /// Raises the priority of every recipient to at least <paramref name="priority"/>: those named so far and those
    /// named by later rules (the floor holds for the whole decision, so rule order does not matter).
    /// </summary>
    public DecisionBuilder RaisePriority(Priority priority)
    {
        if (priority > _priorityFloor) _priorityFloor = priority;
        return this;
    }

    /// <summary>Every recipient receives the concern with the child's identifiers stripped (Y13-03).</summary>
    public DecisionBuilder Anonymise()
    {
        _anonymous = true;
        return Flag(ProtocolFlags.AnonymousConsultation);
    }

    public DecisionBuilder Act(string kind, string owner, string reason, string ruleId)
    {
        foreach (var a in _actions) if (a.Kind == kind && a.Owner == owner) return this;
        _actions.Add(new RequiredAction(kind, owner, reason, ruleId));
        return this;
    }

    /// <summary>Starts a clock; if the same clock is already running the earlier due time wins.</summary>
    public DecisionBuilder Due(string kind, DateTimeOffset dueAt, string owner, string ruleId)
    {
        for (var i = 0; i < _deadlines.Count; i++)
        {
            var d = _deadlines[i];
            if (d.Kind != kind || d.Owner != owner) continue;
            if (dueAt < d.DueAt) _deadlines[i] = new Deadline(kind, dueAt, owner, ruleId);
            return this;
        }
        _deadlines.Add(new Deadline(kind, dueAt, owner, ruleId));
        return this;
    }

    public DecisionBuilder Warn(string code, string message, string? field = null)
    {
        foreach (var w in _warnings) if (w.Code == code && w.Field == field) return this;
        _warnings.Add(new SenderWarning(code, message, field));
        return this;
    }

    public DecisionBuilder Flag(string flag)
    {
        if (!_flags.Contains(flag)) _flags.Add(flag);
        return this;
    }

    public RoutingDecision Build(string protocolVersion)
    {
        // Deterministic order: priority first (most urgent at the top), then the order the rules named them.
        var entries = new KeyValuePair<Recipient, RecipientEntry>[_recipients.Count];
        var n = 0;
        foreach (var pair in _recipients) entries[n++] = pair;
        Array.Sort(entries, static (a, b) =>
        {
            var byPriority = b.Value.Priority.CompareTo(a.Value.Priority);
            return byPriority != 0 ? byPriority : a.Value.Order.CompareTo(b.Value.Order);
        });

        var recipients = new RecipientDecision[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            var (recipient, entry) = (entries[i].Key, entries[i].Value);
            var profile = ReleaseProfiles.For(recipient, _anonymous);
            recipients[i] = new RecipientDecision
            {
                Recipient = recipient,
                Priority = entry.Priority > _priorityFloor ? entry.Priority : _priorityFloor,
                Purpose = entry.Purposes.Count == 1 ? entry.Purposes[0] : string.Join(" ", entry.Purposes),
                Mandatory = entry.Mandatory,
                RuleIds = entry.RuleIds,
                FieldsReleased = profile.Released,
                FieldsWithheld = profile.Withheld,
            };
        }

        return new RoutingDecision
        {
            ProtocolVersion = protocolVersion,
            Recipients = recipients,
            Actions = _actions.ToArray(),
            Deadlines = _deadlines.ToArray(),
            RulesFired = _rules.ToArray(),
            Warnings = _warnings.ToArray(),
            Flags = _flags.ToArray(),
        };
    }

    private sealed class RecipientEntry(Priority priority, bool mandatory, List<string> purposes, List<string> ruleIds, int order)
    {
        public Priority Priority { get; set; } = priority;
        public bool Mandatory { get; set; } = mandatory;
        public List<string> Purposes { get; } = purposes;
        public List<string> RuleIds { get; } = ruleIds;
        public int Order { get; } = order;
    }
}
