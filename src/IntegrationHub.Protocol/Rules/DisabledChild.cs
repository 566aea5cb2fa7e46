using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>DIS-01: a disabled child, or one with a learning disability or communication difficulty, is more vulnerable: priority raised, consent doubtful.</summary>
/// <remarks>Raises every recipient to at least same working day; Urgent stays reserved for immediate risk.</remarks>
public sealed class DisabledChild : IProtocolRule
{
    public string Id => "DIS-01";
    public string Section => "9.4";
    public IReadOnlyList<string> SpeaksOf => ["child.disability", "child.learningDisability", "child.communicationDifficulty"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        if (!facts.IsDisabled) return;
        var c = facts.Concern.Child;
        var what = c.LearningDisability ? "has a learning disability" : c.CommunicationDifficulty ? "has a communication difficulty" : "is disabled";
        decision.Fire(this, $"The child {what}: more vulnerable to coercion, and any consent is doubtful. Priority raised to at least same working day.")
            .RaisePriority(Priority.SameWorkingDay)
            .Flag(ProtocolFlags.ConsentDoubtful);
    }
}
