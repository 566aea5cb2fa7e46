using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Contracts.ReturnInterviews;

/// <summary>
/// MIS-02 (handbook 14.1): the completed return interview of a child who was missing from care, sent to the police in
/// the MASH (the <c>police.intelligence</c> queue), once.
/// </summary>
public sealed record ReturnInterviewShared
{
    /// <summary>Stable id of this delivery (the same for a redelivery of it).</summary>
    public required Guid DeliveryId { get; init; }
    /// <summary>The hub's tracking id of the interview.</summary>
    public required Guid TrackingId { get; init; }
    /// <summary>The hub's id of the missing episode.</summary>
    public required Guid EpisodeId { get; init; }
    /// <summary>Who this copy is for: the police.</summary>
    public required Recipient Recipient { get; init; }
    /// <summary>A pseudonymous key for the child.</summary>
    public string? ChildKey { get; init; }
    /// <summary>The completed interview form, as the interviewer's service sent it.</summary>
    public required ReturnInterviewCompleted Interview { get; init; }
    /// <summary>The rule: <c>MIS-02</c>.</summary>
    public string RuleId { get; init; } = "MIS-02";
}
