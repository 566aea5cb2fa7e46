namespace IntegrationHub.Protocol.Patterns;

/// <summary>What PAT-01 says about one key after a message named it.</summary>
public enum PatternOutcome
{
    /// <summary>Too few children, or no child the alert does not already name.</summary>
    None,
    /// <summary>First alert to MARP and the police.</summary>
    Detected,
    /// <summary>The alert stands; another child has joined it.</summary>
    Updated,
}

/// <summary>
/// PAT-01 (handbook 10.1.4, 10.2.4, 10.6.6, 10.9.8, 11.2): <c>PatternChildren</c> or more distinct children linked to the
/// same key within <c>PatternWindowDays</c>, from any agencies, is a pattern of concern: one alert to MARP and the
/// police, updated (never repeated) when another child joins.
/// </summary>
public static class PatternOfConcernRule
{
    public const string Id = "PAT-01";
    public const string Section = "10.1.4, 10.2.4, 10.6.6, 10.9.8, 11.2";

    /// <summary>The children linked in the window: distinct child keys of mentions at or after now minus the window.</summary>
    public static IReadOnlyList<string> ChildrenInWindow(IEnumerable<(string ChildKey, DateTimeOffset At)> mentions, DateTimeOffset now, ProtocolOptions options)
    {
        var from = now - TimeSpan.FromDays(options.PatternWindowDays);
        return [.. mentions.Where(m => m.At >= from && m.At <= now).Select(m => m.ChildKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <param name="childrenInWindow">Distinct children linked to the key within the window, this message included.</param>
    /// <param name="alreadyAlerted">Children named by the alert so far (empty when none was sent).</param>
    public static PatternOutcome Evaluate(IReadOnlyCollection<string> childrenInWindow, IReadOnlyCollection<string> alreadyAlerted, ProtocolOptions options)
    {
        if (alreadyAlerted.Count == 0)
            return childrenInWindow.Count >= options.PatternChildren ? PatternOutcome.Detected : PatternOutcome.None;
        return childrenInWindow.Any(c => !alreadyAlerted.Contains(c)) ? PatternOutcome.Updated : PatternOutcome.None;
    }
}
