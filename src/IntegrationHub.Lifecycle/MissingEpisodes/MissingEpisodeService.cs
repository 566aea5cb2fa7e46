using System.Globalization;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Contracts.ReturnInterviews;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Lifecycle.Patterns;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Lifecycle;
using IntegrationHub.Protocol;
using IntegrationHub.Protocol.MissingEpisodes;
using IntegrationHub.Protocol.Patterns;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Routing.Sharing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Lifecycle.MissingEpisodes;

/// <summary>
/// Moves a missing episode through its states: asks the pure protocol what each step means, then records the step,
/// its history, its clock, the MARP review list and the pattern index, with the outbox rows to send, in one transaction.
/// </summary>
public sealed class MissingEpisodeService(IDbContextFactory<HubDbContext> dbFactory, Outbox outbox, MissingEpisodeProtocol protocol, ChildKeys childKeys, PatternIndex patterns,
    ILogger<MissingEpisodeService> logger)
{
    public const string MissingInbox = "lifecycle-missing";
    public const string FoundInbox = "lifecycle-found";
    public const string InterviewInbox = "lifecycle-interview";

    public Task<IReadOnlyList<DeliveryRecord>> ReportedAsync(ChildReportedMissing report, Guid messageId, CancellationToken ct) =>
        outbox.OnceAsync(messageId, report.TrackingId, MissingInbox, async (db, now) =>
        {
            var childKey = childKeys.For(report.Child);
            var episodeId = EpisodeIds.For(report.PoliceReference);
            var earlier = childKey is null ? [] : await db.MissingEpisodes.AsNoTracking()
                .Where(e => e.ChildKey == childKey && e.Id != episodeId)
                .Select(e => new { e.StartedAt, e.KnownCseRisk }).ToListAsync(ct);
            var episode = await db.MissingEpisodes.FindAsync([episodeId], ct);
            var history = new ChildHistory
            {
                MissingEpisodes = [.. earlier.Select(e => e.StartedAt)],
                KnownCseRisk = earlier.Any(e => e.KnownCseRisk),
                ReturnedAt = episode?.ReturnedAt,
            };
            var decision = protocol.Evaluate(report, new ProtocolContext(now, history));

            if (episode is null)
            {
                episode = new MissingEpisodeRecord { Id = episodeId, PoliceReference = report.PoliceReference.Trim(), State = EpisodeState.Missing };
                db.MissingEpisodes.Add(episode);
            }
            else
            {
                episode.Version++;
            }
            episode.ChildKey ??= childKey;
            var formWasOwed = episode.InterviewMandatory || episode.MissingFromCare;
            episode.ReportedAt = report.ReceivedAt;
            episode.StartedAt = MissingEpisodeProtocol.StartOf(report);
            // A risk known from any report of the episode stands: a found report (or an earlier missing report) that said
            // "from care" or "known CSE risk" is not lowered by this one saying otherwise.
            episode.MissingFromCare |= report.MissingFrom == MissingFrom.Care;
            episode.KnownCseRisk |= report.KnownCseRisk || history.KnownCseRisk;
            History(db, episode, now, "ReportedMissing", report.TrackingId,
                $"missing from {report.MissingFrom}; last seen {Time(report.LastSeenAt)}; police risk {report.RiskGrade}; rules {Rules(decision)}");
            if (episode.ReturnedAt is { } returned)
                History(db, episode, now, "ReportedAfterFound", report.TrackingId,
                    $"the child was found ({Time(returned)}) before this missing report arrived: no one is told the child is missing");

            var deliveries = decision.Recipients.Select(r => MissingShared(report, episode, childKey, decision, r, now)).ToList();
            var replan = await ReplanAsync(db, report, episode, now, ct);
            if (replan is not null)
            {
                deliveries.AddRange(replan.Value.Deliveries);
                decision = Merge(decision, replan.Value.Decision);
            }
            if (!formWasOwed && episode.MissingFromCare && await LateInterviewFormAsync(db, report, episode, now, ct) is { } form)
            {
                deliveries.Add(form.Delivery);
                decision = Merge(decision, form.Decision);
            }
            Decided(db, report.TrackingId, nameof(ChildReportedMissing), report.Agency, report, childKey, decision, now);

            if (decision.Flags.Contains(ProtocolFlags.RegularlyMissing) && childKey is not null)
            {
                // The partnership's month (Europe/London), not UTC's: from midnight to 01:00 in summer time UTC is still in the month before.
                var month = LocalDates.Of(now, protocol.Options.TimeZone).ToString("yyyy-MM", CultureInfo.InvariantCulture);
                if (!await db.MarpReviewList.AnyAsync(m => m.Month == month && m.ChildKey == childKey, ct))
                {
                    var starts = RegularlyMissing.InWindow([.. history.MissingEpisodes, episode.StartedAt], now, protocol.Options);
                    db.MarpReviewList.Add(new MarpReviewEntry
                    {
                        ChildKey = childKey, Month = month, AddedAt = now, EpisodeCount = starts.Count, TrackingId = report.TrackingId,
                        ChildIdentity = JsonSerializer.Serialize(Identity(report.Child), ContractJson.Options),
                    });
                    var deliveryId = DeliveryIds.For($"marp-review/{month}/{childKey}");
                    deliveries.Add(Delivery(deliveryId, report.TrackingId, Recipient.Marp, now, new ChildAddedToMarpReviewList
                    {
                        DeliveryId = deliveryId, TrackingId = report.TrackingId, Month = month, ChildKey = childKey,
                        Child = Identity(report.Child), EpisodeCount = starts.Count, WindowDays = protocol.Options.RegularlyMissingWindowDays,
                        EpisodeStarts = starts,
                    }));
                    History(db, episode, now, "AddedToMarpReviewList", report.TrackingId, $"MIS-01: {starts.Count} episodes in {protocol.Options.RegularlyMissingWindowDays} days; review list {month}");
                }
            }

            deliveries.AddRange(await patterns.AddAsync(db, PatternExtraction.From(report), childKey, report.TrackingId, report.Agency, now, ct));
            return deliveries;
        }, ct);

    public Task<IReadOnlyList<DeliveryRecord>> FoundAsync(ChildFound found, Guid messageId, CancellationToken ct) =>
        outbox.OnceAsync(messageId, found.TrackingId, FoundInbox, async (db, now) =>
        {
            var childKey = childKeys.For(found.Child);
            var episodeId = EpisodeIds.For(found.PoliceReference);
            var episode = await db.MissingEpisodes.FindAsync([episodeId], ct);
            // Another child's episode: either the reference or the child's identifiers are wrong, and the hub cannot tell
            // which. Attaching it would leave one child with no clock; it fails instead, to the Failures page, for
            // operations to settle with the police (nothing of it is written).
            if (episode is { ChildKey: { } episodeChild } && childKey is not null && childKey != episodeChild)
                throw new EpisodeOfAnotherChildException();
            if (episode is null)
            {
                // Found before (or without) a missing report: the episode starts here and the return interview is still owed.
                episode = new MissingEpisodeRecord
                {
                    Id = episodeId, PoliceReference = found.PoliceReference.Trim(), ChildKey = childKey, State = EpisodeState.Missing,
                    StartedAt = found.ReturnedAt, MissingFromCare = found.MissingFrom == MissingFrom.Care,
                };
                db.MissingEpisodes.Add(episode);
                History(db, episode, now, "FoundWithoutMissingReport", found.TrackingId, "no missing report was received for this police reference");
            }
            else
            {
                episode.Version++;
            }
            episode.ChildKey ??= childKey;
            episode.ReturnedAt = found.ReturnedAt;
            History(db, episode, now, "Returned", found.TrackingId,
                $"returned {Time(found.ReturnedAt)}; harmed {found.Harmed}; crime suspected {found.CrimeSuspected}");

            var deliveries = new List<DeliveryRecord>();
            if (episode.InterviewDeadlineId is not null)
            {
                History(db, episode, now, "ReturnInterviewAlreadyRequested", found.TrackingId, "a second found report: the clock already running is kept");
                Decided(db, found.TrackingId, nameof(ChildFound), found.Agency, found, episode.ChildKey, new DecisionBuilder().Build(protocol.Options.Version), now);
            }
            else
            {
                var history = new ChildHistory
                {
                    MissingSince = episode.ReportedAt is null ? null : episode.StartedAt,
                    MissingFromCare = episode.MissingFromCare,
                    KnownCseRisk = episode.KnownCseRisk,
                };
                var plan = protocol.Plan(found, new ProtocolContext(now, history));
                var deadline = new DeadlineRecord
                {
                    Id = DeliveryIds.For($"deadline/{found.TrackingId:N}/{DeadlineKinds.ReturnInterview}"),
                    Kind = DeadlineKinds.ReturnInterview, TrackingId = found.TrackingId, EpisodeId = episode.Id, ChildKey = episode.ChildKey,
                    Owner = Owners.SocialWorker, RuleId = plan.RuleId, StartedAt = found.ReturnedAt, DueAt = plan.DueAt, NextEscalationAt = plan.DueAt,
                };
                db.Deadlines.Add(deadline);
                if (episode.InterviewCompletedAt is { } held)
                {
                    // The interview came before the found report: the clock is met already, and no interview is requested.
                    deadline.State = DeadlineState.Met;
                    deadline.MetAt = held;
                    deadline.NextEscalationAt = null;
                    episode.InterviewDeadlineId = deadline.Id;
                    TakePlan(episode, plan);
                    episode.InterviewLate = held > plan.DueAt;
                    History(db, episode, now, "ReturnInterviewAlreadyHeld", found.TrackingId,
                        $"the interview at {Time(held)} came before this found report; the clock (due {Time(plan.DueAt)}, rule {plan.RuleId}) is met {(held > plan.DueAt ? "late" : "on time")}; no interview is requested");
                    var already = new DecisionBuilder();
                    foreach (var rule in plan.Decision.RulesFired)
                        already.Fire(rule.RuleId, rule.Section, $"{rule.Reason} The interview was already held ({Time(held)}): no request is sent.");
                    Decided(db, found.TrackingId, nameof(ChildFound), found.Agency, found, episode.ChildKey, already.Build(protocol.Options.Version), now);
                    deliveries.AddRange(await patterns.AddAsync(db, PatternExtraction.From(found), episode.ChildKey, found.TrackingId, found.Agency, now, ct));
                    return deliveries;
                }
                episode.State = EpisodeState.InterviewRequested;
                episode.InterviewDeadlineId = deadline.Id;
                TakePlan(episode, plan);
                History(db, episode, now, "ReturnInterviewRequested", found.TrackingId,
                    $"{(plan.Mandatory ? "mandatory" : "offered")}; due {Time(plan.DueAt)}; priority {plan.Priority}; strategy discussion {plan.StrategyDiscussion}; " +
                    $"triggers {(plan.Triggers.Count == 0 ? "none" : string.Join(',', plan.Triggers))}; rule {plan.RuleId}");

                Decided(db, found.TrackingId, nameof(ChildFound), found.Agency, found, episode.ChildKey, plan.Decision, now);
                deliveries.AddRange(plan.Decision.Recipients.Select(r => InterviewRequest(found.TrackingId, found, episode, deadline, r.Recipient, plan, now)));
            }
            deliveries.AddRange(await patterns.AddAsync(db, PatternExtraction.From(found), episode.ChildKey, found.TrackingId, found.Agency, now, ct));
            return deliveries;
        }, ct);

    /// <summary>
    /// The missing report came after the found report had planned the return interview. What it adds (from care, known CSE
    /// risk, how long the child was missing) can make the plan stricter; the found report is planned again with it and,
    /// while the clock is not met, the episode and the clock take the stricter plan and MASH is sent the revised request
    /// (its delivery keyed to this missing report, so a redelivery sends it once). A plan is never lowered. A met clock is
    /// left as it was: the interview it asked for was held.
    /// </summary>
    private async Task<(RoutingDecision Decision, List<DeliveryRecord> Deliveries)?> ReplanAsync(HubDbContext db, ChildReportedMissing report,
        MissingEpisodeRecord episode, DateTimeOffset now, CancellationToken ct)
    {
        if (episode.InterviewDeadlineId is not { } deadlineId || await db.Deadlines.FindAsync([deadlineId], ct) is not { } deadline)
            return null;
        var started = await db.Messages.FindAsync([deadline.TrackingId], ct);
        if (started is not { Kind: nameof(ChildFound) }) return null;
        if (started.PurgedAt is { } purged)
        {
            // Retention erased the found report's content: there is nothing to plan again from. A met clock would be left
            // as it was anyway; a running one keeps its plan, and the history says it was not reviewed, so someone can.
            if (deadline.State == DeadlineState.Met) return null;
            History(db, episode, now, "ReturnInterviewNotReplanned", report.TrackingId,
                $"the found report {started.TrackingId} was erased by retention at {Time(purged)}: the return interview could not be planned again with this missing report; its plan (rule {deadline.RuleId}) is unchanged");
            logger.LogWarning("Missing report {TrackingId}: the found report {FoundTrackingId} of episode {EpisodeId} was purged by retention, so its return interview was not planned again",
                report.TrackingId, started.TrackingId, episode.Id);
            return null;
        }
        if (JsonSerializer.Deserialize<ChildFound>(started.Payload, ContractJson.Options) is not { } found) return null;

        var triggers = episode.Triggers.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var planned = new ReturnInterviewPlan(episode.InterviewDueAt ?? deadline.DueAt, episode.InterviewMandatory, episode.InterviewPriority,
            episode.StrategyDiscussion, triggers, deadline.RuleId, new DecisionBuilder().Build(protocol.Options.Version));
        var known = new ChildHistory { MissingSince = episode.StartedAt, MissingFromCare = episode.MissingFromCare, KnownCseRisk = episode.KnownCseRisk };
        if (protocol.Replan(found, planned, new ProtocolContext(now, known)) is not { } plan)
            return null;
        if (deadline.State == DeadlineState.Met)
        {
            History(db, episode, now, "ReturnInterviewNotReplanned", report.TrackingId,
                $"this missing report would make the return interview {Summary(plan)}, but its clock was met at {Time(deadline.MetAt)}: left as it was");
            return null;
        }

        History(db, episode, now, "ReturnInterviewReplanned", report.TrackingId,
            $"the missing report came after the found report: was {Summary(planned)}; now {Summary(plan)}");
        deadline.RuleId = plan.RuleId;
        if (plan.DueAt < deadline.DueAt)
        {
            deadline.DueAt = plan.DueAt;
            if (deadline.EscalationLevel == 0) deadline.NextEscalationAt = plan.DueAt;
        }
        TakePlan(episode, plan);

        // Keyed to this missing report: a redelivery of it sends the revised request once.
        var deliveries = plan.Decision.Recipients.Select(r => InterviewRequest(report.TrackingId, found, episode, deadline, r.Recipient, plan, now)).ToList();
        return (plan.Decision, deliveries);
    }

    /// <summary>
    /// MIS-02 learnt late: the interview was held and completed before this missing report said the child was missing
    /// from care, so its form was not sent then. It goes to the police in the MASH now, once (the episode's history says
    /// whether it went). Null when no completed interview is on record, or its form already went.
    /// </summary>
    private async Task<(RoutingDecision Decision, DeliveryRecord Delivery)?> LateInterviewFormAsync(HubDbContext db, ChildReportedMissing report,
        MissingEpisodeRecord episode, DateTimeOffset now, CancellationToken ct)
    {
        if (episode.State != EpisodeState.InterviewCompleted) return null;
        var steps = await db.MissingEpisodeEvents.AsNoTracking().Where(e => e.EpisodeId == episode.Id)
            .Select(e => new { e.Id, e.Event, e.TrackingId }).ToListAsync(ct);
        if (steps.Any(e => e.Event == "InterviewFormSentToPolice")) return null;
        if (steps.Where(e => e.Event == "ReturnInterviewCompleted" && e.TrackingId is not null).MaxBy(e => e.Id)?.TrackingId is not { } interviewId
            || await db.Messages.FindAsync([interviewId], ct) is not { Kind: nameof(ReturnInterviewCompleted) } stored)
            return null;
        if (stored.PurgedAt is { } purged)
        {
            // Retention erased the interview's content: the form cannot be sent. Said in the history and the log, for someone
            // to send it by hand; once, as a later report finds the episode from care already and does not look again.
            History(db, episode, now, "InterviewFormNotSent", report.TrackingId,
                $"MIS-02: this missing report says the child was missing from care, but the return interview {interviewId} was erased by retention at {Time(purged)}: its form could not be sent to the police in the MASH");
            logger.LogWarning("Missing report {TrackingId}: the return interview {InterviewTrackingId} of episode {EpisodeId} was purged by retention, so its form (MIS-02) was not sent to the police",
                report.TrackingId, interviewId, episode.Id);
            return null;
        }
        if (JsonSerializer.Deserialize<ReturnInterviewCompleted>(stored.Payload, ContractJson.Options) is not { Outcome: ReturnInterviewOutcome.Completed } interview)
            return null;

        var decision = FormToPolice(new DecisionBuilder(),
                "The missing report says the child was missing from care, and the return interview was already held: the completed interview form goes to the police in the MASH.")
            .Build(protocol.Options.Version);
        History(db, episode, now, "InterviewFormSentToPolice", report.TrackingId,
            $"MIS-02: this missing report says the child was missing from care, after the interview at {Time(interview.CompletedAt)}; the completed form goes to the police in the MASH");
        return (decision, InterviewForm(report.TrackingId, interview, episode, now));
    }

    /// <summary>The episode takes the return interview's plan: due time, mandatory, priority, strategy discussion, triggers.</summary>
    private static void TakePlan(MissingEpisodeRecord episode, ReturnInterviewPlan plan)
    {
        episode.InterviewDueAt = plan.DueAt;
        episode.InterviewMandatory = plan.Mandatory;
        episode.InterviewPriority = plan.Priority;
        episode.StrategyDiscussion = plan.StrategyDiscussion;
        episode.Triggers = string.Join(' ', plan.Triggers);
    }

    /// <summary>The request to <paramref name="recipient"/> to hold the found child's return interview, its delivery keyed to <paramref name="keyedTo"/>.</summary>
    private static DeliveryRecord InterviewRequest(Guid keyedTo, ChildFound found, MissingEpisodeRecord episode, DeadlineRecord deadline,
        Recipient recipient, ReturnInterviewPlan plan, DateTimeOffset now)
    {
        var deliveryId = DeliveryIds.For(keyedTo, recipient, revision: 1);
        return Delivery(deliveryId, keyedTo, recipient, now, new ReturnInterviewRequested
        {
            DeliveryId = deliveryId, TrackingId = found.TrackingId, EpisodeId = episode.Id, DeadlineId = deadline.Id,
            Recipient = recipient, ChildKey = episode.ChildKey, Child = found.Child, PoliceReference = episode.PoliceReference,
            ReturnedAt = found.ReturnedAt, DueAt = plan.DueAt, Mandatory = plan.Mandatory, Priority = plan.Priority,
            StrategyDiscussion = plan.StrategyDiscussion, Triggers = plan.Triggers, Owner = Owners.SocialWorker,
            RulesFired = plan.Decision.RulesFired,
        });
    }

    /// <summary>MIS-02: the rule, with <paramref name="reason"/>, and the police in the MASH as the form's recipient.</summary>
    private static DecisionBuilder FormToPolice(DecisionBuilder decision, string reason) =>
        decision.Fire("MIS-02", "14.1", reason)
            .Notify(Recipient.Police, Priority.SameWorkingDay, "The completed return interview of a child missing from care.", "MIS-02");

    /// <summary>MIS-02: the completed interview form to the police in the MASH, its delivery keyed to <paramref name="keyedTo"/>.</summary>
    private static DeliveryRecord InterviewForm(Guid keyedTo, ReturnInterviewCompleted interview, MissingEpisodeRecord episode, DateTimeOffset now)
    {
        var deliveryId = DeliveryIds.For(keyedTo, Recipient.Police, revision: 1);
        return Delivery(deliveryId, keyedTo, Recipient.Police, now, new ReturnInterviewShared
        {
            DeliveryId = deliveryId, TrackingId = interview.TrackingId, EpisodeId = episode.Id, Recipient = Recipient.Police,
            ChildKey = episode.ChildKey, Interview = interview,
        });
    }

    private static string Summary(ReturnInterviewPlan plan) =>
        $"{(plan.Mandatory ? "mandatory" : "offered")}, due {Time(plan.DueAt)}, priority {plan.Priority}, strategy discussion {plan.StrategyDiscussion}, " +
        $"triggers {(plan.Triggers.Count == 0 ? "none" : string.Join(',', plan.Triggers))}, rule {plan.RuleId}";

    /// <summary>One decision for one message: the missing report's own rules (MIS-05, MIS-01) and the re-planned interview's.</summary>
    private static RoutingDecision Merge(RoutingDecision first, RoutingDecision second) => first with
    {
        Recipients = [.. first.Recipients, .. second.Recipients],
        Actions = [.. first.Actions, .. second.Actions],
        Deadlines = [.. first.Deadlines, .. second.Deadlines],
        RulesFired = [.. first.RulesFired, .. second.RulesFired],
        Warnings = [.. first.Warnings, .. second.Warnings],
        Flags = [.. first.Flags.Union(second.Flags, StringComparer.Ordinal)],
    };

    /// <summary>Records the interview; returns the deliveries and, when RI-01 applies, the concern raised from it (recorded, to publish).</summary>
    public async Task<(IReadOnlyList<DeliveryRecord> Deliveries, ConcernRaised? Raised)> InterviewedAsync(ReturnInterviewCompleted interview, Guid messageId, CancellationToken ct)
    {
        ConcernRaised? raised = null;
        var deliveries = await outbox.OnceAsync(messageId, interview.TrackingId, InterviewInbox, async (db, now) =>
        {
            var childKey = childKeys.For(interview.Child);
            var episodeId = EpisodeIds.For(interview.PoliceReference);
            var episode = await db.MissingEpisodes.FindAsync([episodeId], ct);
            var decision = new DecisionBuilder();
            // The police reference is another child's episode (mistyped, or a sender claiming a clock that is not theirs):
            // the episode, its clock and the MIS-02 form are left alone and the sender is warned. The history says so
            // without the interview's tracking id, so the sender does not gain sight of the episode. What the interview
            // disclosed still goes through the protocol (RI-01), about the child it names.
            var anotherChilds = episode is { ChildKey: { } episodeChild } && childKey is not null && childKey != episodeChild;
            if (anotherChilds)
            {
                History(db, episode!, now, "InterviewForAnotherChild", trackingId: null,
                    $"return interview {interview.TrackingId} from {interview.Agency} gave this police reference for another child; the episode and its clock were left as they were");
                decision.Warn("episode-of-another-child",
                    $"The police reference {interview.PoliceReference.Trim()} is a missing episode of another child: this interview was not recorded against it and closed no clock. Check the reference and send the interview again.",
                    "policeReference");
            }
            else
            {
                episode = await RecordInterviewAsync(db, interview, episode, episodeId, childKey, now, ct);
            }
            // The child the interview is about: its episode's, unless it is another child's episode. The interview's keys
            // are indexed under it (PAT-01) and the concern RI-01 raises carries it, or the router would derive another key
            // from the interview's own identifiers (none at all when it names the child only by the police reference).
            var interviewChild = anotherChilds ? childKey : episode!.ChildKey;

            if (ReturnInterviewFindings.ConcernFrom(interview) is { } concern)
            {
                var raisedId = EpisodeIds.ConcernFromInterview(interview.TrackingId);
                raised = new ConcernRaised
                {
                    TrackingId = raisedId, Agency = interview.Agency, ReceivedAt = now, Channel = "return-interview",
                    ChildKey = interviewChild, FromReturnInterview = interview.TrackingId, Concern = concern,
                };
                db.Messages.Add(new MessageRecord
                {
                    TrackingId = raisedId, Agency = interview.Agency.ToString(), Kind = nameof(ConcernRaised), Channel = raised.Channel, ChildKey = interviewChild,
                    ReceivedAt = now, Status = MessageStatus.Received, Payload = JsonSerializer.Serialize(raised, ContractJson.Options),
                });
                db.Audit.Add(new AuditEntry
                {
                    At = now, TrackingId = raisedId, Event = "Received", Actor = "lifecycle",
                    Detail = $"ConcernRaised from return interview {interview.TrackingId} (RI-01)",
                });
                decision.Fire(ReturnInterviewFindings.Id, ReturnInterviewFindings.Section,
                    $"The interview disclosed indicators or persons of concern: raised as concern {raisedId}.");
                if (!anotherChilds)
                    History(db, episode!, now, "ConcernRaisedFromFindings", raisedId, "RI-01: the findings go through the protocol as a new concern");
            }
            // MIS-02: the interview was mandatory (missing from care, or looked after) and was done.
            var formToPolice = !anotherChilds && (episode!.InterviewMandatory || episode.MissingFromCare) && interview.Outcome == ReturnInterviewOutcome.Completed;
            if (formToPolice)
            {
                FormToPolice(decision, "The child was missing from care: the completed interview form goes to the police in the MASH.");
                History(db, episode!, now, "InterviewFormSentToPolice", interview.TrackingId, "MIS-02: the completed form goes to the police in the MASH");
            }
            Decided(db, interview.TrackingId, nameof(ReturnInterviewCompleted), interview.Agency, interview, interviewChild,
                decision.Build(protocol.Options.Version), now);
            var sent = await patterns.AddAsync(db, PatternExtraction.From(interview), interviewChild, interview.TrackingId, interview.Agency, now, ct);
            if (formToPolice) sent.Add(InterviewForm(interview.TrackingId, interview, episode!, now));
            return sent;
        }, ct);

        if (raised is null)
        {
            // A redelivery: publish the raised concern again if the router has not decided it yet (its inbox makes this harmless).
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var id = EpisodeIds.ConcernFromInterview(interview.TrackingId);
            var record = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.TrackingId == id && m.Status == MessageStatus.Received, ct);
            if (record is not null) raised = JsonSerializer.Deserialize<ConcernRaised>(record.Payload, ContractJson.Options);
        }
        return (deliveries, raised);
    }

    /// <summary>Records the interview on its episode (opening one if no missing or found report came first) and meets its clock.</summary>
    private static async Task<MissingEpisodeRecord> RecordInterviewAsync(HubDbContext db, ReturnInterviewCompleted interview, MissingEpisodeRecord? episode,
        Guid episodeId, string? childKey, DateTimeOffset now, CancellationToken ct)
    {
        if (episode is null)
        {
            episode = new MissingEpisodeRecord
            {
                Id = episodeId, PoliceReference = interview.PoliceReference.Trim(), ChildKey = childKey, StartedAt = interview.CompletedAt,
            };
            db.MissingEpisodes.Add(episode);
            History(db, episode, now, "InterviewWithoutEpisode", interview.TrackingId, "no missing or found report was received for this police reference");
        }
        else
        {
            episode.Version++;
        }
        episode.ChildKey ??= childKey;
        episode.State = interview.Outcome switch
        {
            ReturnInterviewOutcome.Declined => EpisodeState.InterviewDeclined,
            ReturnInterviewOutcome.NotLocated => EpisodeState.ChildNotLocated,
            _ => EpisodeState.InterviewCompleted,
        };
        episode.InterviewCompletedAt = interview.CompletedAt;

        var timing = "no deadline was running";
        if (episode.InterviewDeadlineId is { } deadlineId && await db.Deadlines.FindAsync([deadlineId], ct) is { } deadline && deadline.State != DeadlineState.Met)
        {
            var late = interview.CompletedAt > deadline.DueAt;
            deadline.State = DeadlineState.Met;
            deadline.MetAt = interview.CompletedAt;
            deadline.NextEscalationAt = null;
            episode.InterviewLate = late;
            timing = late ? $"late by {Hours(interview.CompletedAt - deadline.DueAt)}; {deadline.EscalationLevel} escalation(s) made" : "on time";
        }
        History(db, episode, now, interview.Outcome switch
        {
            ReturnInterviewOutcome.Declined => "ReturnInterviewDeclined",
            ReturnInterviewOutcome.NotLocated => "ChildNotLocatedForInterview",
            _ => "ReturnInterviewCompleted",
        }, interview.TrackingId, $"at {Time(interview.CompletedAt)}; independent {interview.Independent}; {timing}");

        return episode;
    }

    private static DeliveryRecord MissingShared(ChildReportedMissing report, MissingEpisodeRecord episode, string? childKey,
        RoutingDecision decision, RecipientDecision recipient, DateTimeOffset now)
    {
        var deliveryId = DeliveryIds.For(report.TrackingId, recipient.Recipient, revision: 1);
        return Delivery(deliveryId, report.TrackingId, recipient.Recipient, now, new ChildMissingShared
        {
            DeliveryId = deliveryId, TrackingId = report.TrackingId, EpisodeId = episode.Id, Recipient = recipient.Recipient,
            Priority = recipient.Priority, Purpose = recipient.Purpose, ChildKey = childKey,
            // MARP is pseudonymous; the missing coordinator sees identity and the CSE flag only.
            Child = recipient.Recipient == Recipient.Marp ? null : Identity(report.Child),
            MissingFrom = report.MissingFrom, LastSeenAt = report.LastSeenAt, RiskGrade = report.RiskGrade,
            KnownCseRisk = episode.KnownCseRisk, RulesFired = decision.RulesFired,
        });
    }

    internal static ChildDetails Identity(ChildDetails child) => new()
    {
        NhsNumber = child.NhsNumber, LocalChildId = child.LocalChildId, GivenName = child.GivenName, FamilyName = child.FamilyName,
        DateOfBirth = child.DateOfBirth, AgeYears = child.AgeYears, Sex = child.Sex,
    };

    internal static DeliveryRecord Delivery<T>(Guid deliveryId, Guid trackingId, Recipient recipient, DateTimeOffset now, T message) where T : class => new()
    {
        DeliveryId = deliveryId, TrackingId = trackingId, Recipient = recipient.ToString(), Queue = RecipientQueues.For(recipient),
        MessageKind = typeof(T).Name, CreatedAt = now, Payload = JsonSerializer.Serialize(message, ContractJson.Options),
    };

    internal static void History(HubDbContext db, MissingEpisodeRecord episode, DateTimeOffset at, string step, Guid? trackingId, string detail) =>
        db.MissingEpisodeEvents.Add(new MissingEpisodeEvent { EpisodeId = episode.Id, At = at, Event = step, Detail = detail, TrackingId = trackingId });

    private static void Decided<T>(HubDbContext db, Guid trackingId, string kind, Agency agency, T message, string? childKey, RoutingDecision decision, DateTimeOffset now)
    {
        var record = db.Messages.Local.FirstOrDefault(m => m.TrackingId == trackingId) ?? db.Messages.Find(trackingId);
        if (record is null)
        {
            record = new MessageRecord
            {
                TrackingId = trackingId, Agency = agency.ToString(), Kind = kind, Channel = "bus", ReceivedAt = now,
                Payload = JsonSerializer.Serialize(message, ContractJson.Options),
            };
            db.Messages.Add(record);
        }
        record.Status = MessageStatus.Decided;
        record.DecidedAt = now;
        record.ChildKey = childKey;
        db.Decisions.Add(new DecisionRecord
        {
            TrackingId = trackingId, Revision = 1, DecidedAt = now, ProtocolVersion = decision.ProtocolVersion,
            Decision = JsonSerializer.Serialize(decision, ContractJson.Options), RuleIds = Rules(decision).Replace(',', ' '),
        });
        db.Audit.Add(new AuditEntry
        {
            At = now, TrackingId = trackingId, Event = "Decided", Actor = "lifecycle",
            Detail = $"{kind}; protocol {decision.ProtocolVersion}; rules {Rules(decision)}; recipients {string.Join(',', decision.Recipients.Select(r => $"{r.Recipient}:{r.Priority}"))}",
        });
    }

    private static string Rules(RoutingDecision decision) => string.Join(',', decision.RulesFired.Select(r => r.RuleId).Distinct());
    private static string Time(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "unknown";
    private static string Hours(TimeSpan span) => $"{Math.Floor(span.TotalHours).ToString(CultureInfo.InvariantCulture)}h{span.Minutes:00}m";
}

/// <summary>
/// A found report whose police reference is another child's missing episode. Not retried (an <see cref="ArgumentException"/>):
/// it goes to the Failures page at once, kept whole, for operations to settle with the police.
/// </summary>
public sealed class EpisodeOfAnotherChildException() : ArgumentException(
    "The police reference is the missing episode of another child: check the reference and the child's identifiers with the police, " +
    "have the found report sent again corrected, then discard this failure (retrying it unchanged fails again).");
