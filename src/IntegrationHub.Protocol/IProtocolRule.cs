namespace IntegrationHub.Protocol;

/// <summary>One rule of docs/PROTOCOL.md. A rule reads the facts and adds to the decision; it never removes.</summary>
public interface IProtocolRule
{
    /// <summary>The rule id, e.g. <c>POL-01</c>.</summary>
    string Id { get; }

    /// <summary>The handbook section(s), e.g. <c>10.3.3</c>.</summary>
    string Section { get; }

    void Apply(ConcernFacts facts, DecisionBuilder decision);
}
