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
/// police, updated (never repeated) when another child joins while the pattern stands; an alert whose last word is
/// older than the window is spent, and a new set of children is a new detection.
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
    /// <remarks>
    /// An update needs a pattern too: <c>PatternChildren</c> or more children in the window, one of them new. A child named
    /// alone months after the alert (its children outside the window) is no pattern and no update.
    /// </remarks>
    public static PatternOutcome Evaluate(IReadOnlyCollection<string> childrenInWindow, IReadOnlyCollection<string> alreadyAlerted, ProtocolOptions options)
    {
        if (childrenInWindow.Count < options.PatternChildren) return PatternOutcome.None;
        if (alreadyAlerted.Count == 0) return PatternOutcome.Detected;
        return childrenInWindow.Any(c => !alreadyAlerted.Contains(c)) ? PatternOutcome.Updated : PatternOutcome.None;
    }

    /// <summary>
    /// True when the key's last alert (detection or update) was sent before the window ending at <paramref name="windowEnd"/>:
    /// that alert is spent, and children linked again now are a new pattern (<see cref="PatternOutcome.Detected"/>), not an
    /// update of it.
    /// </summary>
    public static bool AlertLapsed(DateTimeOffset? lastAlert, DateTimeOffset windowEnd, ProtocolOptions options) =>
        lastAlert is { } at && at < windowEnd - TimeSpan.FromDays(options.PatternWindowDays);
}
