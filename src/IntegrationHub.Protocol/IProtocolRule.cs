namespace IntegrationHub.Protocol;

/// <summary>One rule of docs/PROTOCOL.md. A rule reads the facts and adds to the decision; it never removes.</summary>
public interface IProtocolRule
{
    /// <summary>The rule id, e.g. <c>POL-01</c>.</summary>
    string Id { get; }

    /// <summary>The handbook section(s), e.g. <c>10.3.3</c>.</summary>
    string Section { get; }

    /// <summary>
    /// The concern's fields (JSON paths, as in <c>ReleaseProfiles.AllFields</c>) that this rule's reason, actions and
    /// deadlines speak of. A recipient that may not see one of them gets the rule's id and section without its reason,
    /// and none of its actions or deadlines (<c>ReleaseProfiles.Explain</c>): an explanation must not carry what the
    /// cut held back.
    /// </summary>
    IReadOnlyList<string> SpeaksOf => [];

    void Apply(ConcernFacts facts, DecisionBuilder decision);
}
