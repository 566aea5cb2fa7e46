using IntegrationHub.Contracts.Deadlines;
using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Contracts.Patterns;
using IntegrationHub.Contracts.ReturnInterviews;

namespace IntegrationHub.Routing.Sharing;

/// <summary>The lifecycle's recipient messages a <c>DeliveryRecord.MessageKind</c> can name, and their types.</summary>
public static class RecipientMessageKinds
{
    public static readonly IReadOnlyDictionary<string, Type> Lifecycle = new Dictionary<string, Type>
    {
        [nameof(ChildMissingShared)] = typeof(ChildMissingShared),
        [nameof(ReturnInterviewRequested)] = typeof(ReturnInterviewRequested),
        [nameof(ReturnInterviewShared)] = typeof(ReturnInterviewShared),
        [nameof(ChildAddedToMarpReviewList)] = typeof(ChildAddedToMarpReviewList),
        [nameof(DeadlineOverdue)] = typeof(DeadlineOverdue),
        [nameof(PatternOfConcernDetected)] = typeof(PatternOfConcernDetected),
        [nameof(PatternOfConcernUpdated)] = typeof(PatternOfConcernUpdated),
    };
}
