using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Protocol.Deadlines;

/// <summary>
/// MIS-04 (handbook 14.1) and the one-working-day decisions: a deadline that passes is escalated to the responsible
/// worker when it falls due, then to the MASH manager after a grace period. Two levels, each at most once.
/// </summary>
public static class Escalation
{
    public const string Id = "MIS-04";
    public const string Section = "14.1";
    public const string SocialWorker = "SocialWorker";
    public const string Lado = "Lado";
    public const string MashManager = "MashManager";

    /// <summary>The highest level there is.</summary>
    public const int LastLevel = 2;

    /// <summary>One escalation: its level, who is told, on whose queue, and from when it is owed.</summary>
    public sealed record Step(int Level, string EscalatedTo, Recipient Recipient, DateTimeOffset DueAt);

    /// <summary>The escalation owed after <paramref name="levelDone"/> levels, or null when both have been made.</summary>
    public static Step? Next(string kind, int levelDone, DateTimeOffset dueAt, TimeSpan grace) => levelDone switch
    {
        0 when kind == DeadlineKinds.LadoReferral => new Step(1, Lado, Recipient.Lado, dueAt),
        0 => new Step(1, SocialWorker, Recipient.Mash, dueAt),
        1 => new Step(2, MashManager, Recipient.Mash, dueAt + grace),
        _ => null,
    };

    /// <summary>A deadline is overdue from the instant it falls due (72:00 after return is overdue; 71:59 is not).</summary>
    public static bool IsDue(Step step, DateTimeOffset now) => now >= step.DueAt;

    public static string Reason(string kind, Step step) => (kind, step.Level) switch
    {
        (DeadlineKinds.ReturnInterview, 1) => "The return interview was not completed within its deadline (MIS-04): the child's social worker is told.",
        (DeadlineKinds.ReturnInterview, _) => "The return interview is still not completed after the grace period (MIS-04): the MASH manager is told.",
        (DeadlineKinds.LadoReferral, 1) => "The LADO referral was not acknowledged within one working day.",
        (DeadlineKinds.MashDecision, 1) => "The MASH decision was not recorded within one working day.",
        _ => $"The {kind} deadline is still open after the grace period: the MASH manager is told.",
    };
}
