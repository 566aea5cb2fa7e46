namespace IntegrationHub.Contracts.Sharing;

/// <summary>Feedback to the sender that never blocks routing: missing screening, missing identifiers, language.</summary>
/// <param name="Code">A stable code, e.g. <c>SCR-01.missing-screening</c>.</param>
/// <param name="Message">What to do about it, in plain English.</param>
/// <param name="Field">The JSON path of the field concerned, if any.</param>
public sealed record SenderWarning(string Code, string Message, string? Field = null);
