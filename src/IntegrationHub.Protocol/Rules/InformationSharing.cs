using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>
/// IS-01: any concern about a child's safety may be shared without consent, and during a joint police and social care
/// investigation the family is never notified. It is also the hub's fallback: when no other rule names a recipient,
/// MASH receives the concern for information (routine, not mandatory, flagged <c>NoReferralRequired</c>), because
/// the hub never drops a concern. It warns when the child cannot be identified.
/// </summary>
public sealed class InformationSharing : IProtocolRule
{
    public string Id => "IS-01";
    public string Section => "12.3, 17.4";
    public IReadOnlyList<string> SpeaksOf => ["jointInvestigationUnderWay"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        var c = facts.Concern;
        var fallback = !decision.HasAnyRecipient;
        var reason = (c.JointInvestigationUnderWay, fallback) switch
        {
            (true, true) => "A concern about a child's safety is shared without consent; a joint police and social care investigation is under way, so the family is not notified. No rule requires a referral: MASH receives it for information.",
            (true, false) => "A concern about a child's safety is shared without consent; a joint police and social care investigation is under way, so the family is not notified.",
            (false, true) => "A concern about a child's safety is shared without consent. No rule requires a referral: MASH receives it for information.",
            _ => "A concern about a child's safety is shared without consent.",
        };
        decision.Fire(this, reason);
        if (c.JointInvestigationUnderWay) decision.Flag(ProtocolFlags.NoFamilyNotification);
        if (fallback)
            decision.Notify(Recipient.Mash, Priority.Routine, "For information: no rule requires a referral; the sender's assessment stands.", Id, mandatory: false)
                .Flag(ProtocolFlags.NoReferralRequired);

        if (decision.HasFlag(ProtocolFlags.AnonymousConsultation)) return;
        var child = c.Child;
        var hasNhs = !string.IsNullOrWhiteSpace(child.NhsNumber);
        if (!hasNhs && string.IsNullOrWhiteSpace(child.LocalChildId)
            && (string.IsNullOrWhiteSpace(child.FamilyName) || child.DateOfBirth is null))
            decision.Warn("IS-01.missing-identifiers",
                "The child cannot be matched: send the NHS number, the local child id, or the name and date of birth. The concern has been routed anyway.", "child");
        if (hasNhs && !NhsNumber.IsValid(child.NhsNumber))
            decision.Warn("IS-01.invalid-nhs-number", "The NHS number fails its check digit: please check it.", "child.nhsNumber");
    }
}
