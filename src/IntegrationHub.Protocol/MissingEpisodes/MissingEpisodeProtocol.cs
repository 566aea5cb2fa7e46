using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.MissingEpisodes;

/// <summary>
/// The missing-episode rules (handbook 14, 14.1, 15): who is told when a child goes missing (MIS-05), whether the child
/// is now regularly missing (MIS-01), and the return interview owed when the child comes back (MIS-02, MIS-03).
/// Pure: the time and the child's history are passed in.
/// </summary>
public sealed class MissingEpisodeProtocol(ProtocolOptions options)
{
    public ProtocolOptions Options => options;

    /// <summary>
    /// A missing report. <c>context.History.MissingEpisodes</c> holds the starts of the child's earlier episodes;
    /// <c>context.History.ReturnedAt</c> says the found report of this episode came first.
    /// </summary>
    public RoutingDecision Evaluate(ChildReportedMissing report, ProtocolContext context)
    {
        var decision = new DecisionBuilder();
        if ((report.KnownCseRisk || context.History.KnownCseRisk) && context.History.ReturnedAt is not null)
        {
            // The child is back: a notice that the child is missing would send the coordinator and MARP looking for a child
            // who is home. The risk still goes with the return interview while its clock runs (its KnownCseRisk trigger).
            decision.Fire("MIS-05", "15, 10.3.1", "The child is at known risk of sexual exploitation, but the missing report came after the child was found: the child is back, so the missing coordinator and MARP are not told the child is missing.")
                .Flag(ProtocolFlags.KnownCseRisk);
        }
        else if (report.KnownCseRisk || context.History.KnownCseRisk)
        {
            decision.Fire("MIS-05", "15, 10.3.1", "A child at known risk of sexual exploitation is missing: the missing coordinator and MARP are told.")
                .Notify(Recipient.MissingCoordinator, Priority.Urgent, "Missing child at known CSE risk.", "MIS-05")
                .Notify(Recipient.Marp, Priority.SameWorkingDay, "Missing child at known CSE risk.", "MIS-05")
                .Flag(ProtocolFlags.KnownCseRisk);
        }

        var start = StartOf(report);
        var starts = RegularlyMissing.InWindow([.. context.History.MissingEpisodes, start], context.Now, options);
        if (starts.Count >= options.RegularlyMissingEpisodes)
        {
            decision.Fire(RegularlyMissing.Id, RegularlyMissing.Section,
                    $"{starts.Count} missing episodes in {options.RegularlyMissingWindowDays} days (threshold {options.RegularlyMissingEpisodes}): the child is regularly missing and goes on the MARP monthly review list.")
                .Act(ActionKinds.MarpReview, Owners.Marp, "Regularly missing: review at the monthly panel.", RegularlyMissing.Id)
                .Flag(ProtocolFlags.RegularlyMissing);
        }
        return decision.Build(options.Version);
    }

    /// <summary>
    /// When an episode started: last seen if known, else when it was reported; never after the hub received the report.
    /// A child is seen before being reported missing, so a last-seen time after the receipt is the sender's clock running
    /// fast, and MIS-01 counts no episode that starts in the future: unclamped, the report's own episode would not count.
    /// </summary>
    public static DateTimeOffset StartOf(ChildReportedMissing report) =>
        report.LastSeenAt is { } seen && seen < report.ReceivedAt ? seen : report.ReceivedAt;

    /// <summary>
    /// A child found or returned. <c>context.History</c> carries the episode's start, whether it was from care and
    /// whether the child is at known CSE risk (from the missing report).
    /// </summary>
    public ReturnInterviewPlan Plan(ChildFound found, ProtocolContext context)
    {
        var history = context.History;
        var mandatory = found.MissingFrom == MissingFrom.Care || history.MissingFromCare || found.Child.LegalStatus == LegalStatus.LookedAfter;
        var dueAt = found.ReturnedAt + TimeSpan.FromHours(options.ReturnInterviewHours);

        var triggers = new List<string>();
        if (history.MissingSince is { } since && found.ReturnedAt - since > TimeSpan.FromHours(options.LongMissingHours))
            triggers.Add(ReturnInterviewTriggers.MissingOver24Hours);
        if (found.CrimeSuspected) triggers.Add(ReturnInterviewTriggers.CrimeSuspected);
        if (found.Harmed) triggers.Add(ReturnInterviewTriggers.Harmed);
        if (found.MentalHealthConcern) triggers.Add(ReturnInterviewTriggers.MentalHealthConcern);
        if (found.Child.LearningDisability) triggers.Add(ReturnInterviewTriggers.LearningDisability);
        if (history.KnownCseRisk) triggers.Add(ReturnInterviewTriggers.KnownCseRisk);
        if (found.WithWhom.Count > 0) triggers.Add(ReturnInterviewTriggers.ContactWithRiskyPeople);
        var priority = triggers.Count > 0;
        var strategy = found.Harmed || found.WithWhom.Count > 0;

        var decision = new DecisionBuilder();
        var ruleId = mandatory ? "MIS-02" : "MIS-03";
        if (mandatory)
            decision.Fire("MIS-02", "14.1", $"A child missing from care has returned: an independent return interview must happen within {options.ReturnInterviewHours} hours; the completed form goes to the police in the MASH.")
                .Flag(ProtocolFlags.ReturnInterviewMandatory);
        else
            decision.Fire("MIS-03", "14.1", $"A child has returned: a return interview is offered within {options.ReturnInterviewHours} hours (national guidance 2014).");
        if (priority)
            decision.Fire(ruleId, "14.1", $"Priority return interview: {string.Join(", ", triggers)}.").Flag(ProtocolFlags.ReturnInterviewPriority);

        decision.Notify(Recipient.Mash, priority ? Priority.SameWorkingDay : Priority.Routine,
            mandatory ? "Arrange the mandatory return interview." : "Offer a return interview.", ruleId);
        Request(decision, found, mandatory, strategy, dueAt, ruleId);

        return new ReturnInterviewPlan(dueAt, mandatory, priority, strategy, triggers, ruleId, decision.Build(options.Version));
    }

    /// <summary>
    /// The missing report came after the found report had planned the return interview, and may say more than the found
    /// report did (missing from care: mandatory; known CSE risk, or missing over 24 hours: priority). Plans the found
    /// report again with what is known now (<c>context.History</c>: the episode's start, from care, CSE risk) and keeps
    /// the stricter of that and <paramref name="planned"/> in each respect: a later report never lowers a plan, because
    /// a risk known from either report stands. Null when nothing is stricter. The decision sends MASH the revised request.
    /// </summary>
    public ReturnInterviewPlan? Replan(ChildFound found, ReturnInterviewPlan planned, ProtocolContext context)
    {
        var fresh = Plan(found, context);
        var mandatory = planned.Mandatory || fresh.Mandatory;
        var priority = planned.Priority || fresh.Priority;
        var strategy = planned.StrategyDiscussion || fresh.StrategyDiscussion;
        var triggers = planned.Triggers.Union(fresh.Triggers, StringComparer.Ordinal).ToList();
        var dueAt = fresh.DueAt < planned.DueAt ? fresh.DueAt : planned.DueAt;

        var raised = new List<string>();
        if (mandatory && !planned.Mandatory) raised.Add("the interview is now mandatory (missing from care)");
        if (priority && !planned.Priority) raised.Add("the interview is now a priority");
        if (triggers.Count > planned.Triggers.Count) raised.Add($"new triggers {string.Join(", ", triggers.Except(planned.Triggers, StringComparer.Ordinal))}");
        if (strategy && !planned.StrategyDiscussion) raised.Add("a strategy discussion decides what happens next");
        if (dueAt < planned.DueAt) raised.Add("it is due earlier");
        if (raised.Count == 0) return null;

        var ruleId = mandatory ? "MIS-02" : "MIS-03";
        var decision = new DecisionBuilder()
            .Fire(ruleId, "14.1", $"The missing report came after the found report and raised the return interview's plan: {string.Join("; ", raised)}. The clock keeps running and the stricter plan stands.");
        if (mandatory) decision.Flag(ProtocolFlags.ReturnInterviewMandatory);
        if (priority) decision.Flag(ProtocolFlags.ReturnInterviewPriority);
        decision.Notify(Recipient.Mash, priority ? Priority.SameWorkingDay : Priority.Routine,
            mandatory ? "The return interview is re-planned: arrange the mandatory interview." : $"The return interview is re-planned: offer it{(priority ? " as a priority" : "")}.", ruleId);
        Request(decision, found, mandatory, strategy, dueAt, ruleId);
        return new ReturnInterviewPlan(dueAt, mandatory, priority, strategy, triggers, ruleId, decision.Build(options.Version));
    }

    /// <summary>What a return interview's plan asks, after MASH is told: the interview by the social worker by its due time, and a strategy discussion where harm or risky contacts call for one.</summary>
    private static void Request(DecisionBuilder decision, ChildFound found, bool mandatory, bool strategy, DateTimeOffset dueAt, string ruleId)
    {
        decision.Act(ActionKinds.ReturnInterview, Owners.SocialWorker, mandatory ? "Mandatory for a child missing from care." : "Offered to every returning child.", ruleId)
            .Due(DeadlineKinds.ReturnInterview, dueAt, Owners.SocialWorker, ruleId);
        if (strategy)
            decision.Act(ActionKinds.StrategyDiscussion, Owners.MashWithPolice,
                found.Harmed ? "The child was harmed while missing." : "The child was with people who may pose a risk.", ruleId);
    }
}
