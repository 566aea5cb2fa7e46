namespace IntegrationHub.Contracts.Sharing;

/// <summary>A protocol rule that applied to a message, with where it comes from and why it applied.</summary>
/// <param name="RuleId">The rule id in the protocol, e.g. <c>POL-01</c>.</param>
/// <param name="Section">The handbook section(s) it comes from, e.g. <c>10.3.3</c>.</param>
/// <param name="Reason">Why it applied, in plain English.</param>
public sealed record RuleFired(string RuleId, string Section, string Reason);
