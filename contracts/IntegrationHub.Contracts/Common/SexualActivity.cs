namespace IntegrationHub.Contracts.Common;

/// <summary>Sexual activity the concern describes (handbook section 9).</summary>
public sealed record SexualActivity
{
    /// <summary>The child's age at the time of the activity, if different from today's.</summary>
    public int? ChildAgeAtTime { get; init; }
    /// <summary>The other person's age in years (or best estimate).</summary>
    public int? OtherPersonAge { get; init; }
    /// <summary>The other person's role or relationship to the child.</summary>
    public string? OtherPersonRole { get; init; }
    /// <summary>Penetrative sexual activity (rape if the child is under 13: handbook 9.2).</summary>
    public bool Penetrative { get; init; }
    /// <summary>Other intimate sexual activity.</summary>
    public bool OtherIntimateActivity { get; init; }
    /// <summary>The sender describes it as a consensual relationship between peers (handbook 9.7 example).</summary>
    public bool DescribedAsConsensualRelationship { get; init; }
}
