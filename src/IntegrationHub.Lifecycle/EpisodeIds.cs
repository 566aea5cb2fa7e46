using IntegrationHub.Routing.Sharing;

namespace IntegrationHub.Lifecycle;

/// <summary>Ids derived from what they name, so every instance and every redelivery agrees on them.</summary>
public static class EpisodeIds
{
    /// <summary>The episode a police reference belongs to: known at intake, before the episode is stored.</summary>
    public static Guid For(string policeReference) => DeliveryIds.For("episode/" + policeReference.Trim().ToUpperInvariant());

    /// <summary>The concern RI-01 raises from a return interview.</summary>
    public static Guid ConcernFromInterview(Guid interviewTrackingId) => DeliveryIds.For($"ri-01/{interviewTrackingId:N}");
}
