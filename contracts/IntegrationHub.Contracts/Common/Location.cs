namespace IntegrationHub.Contracts.Common;

/// <summary>A place linked to the concern: where the child was seen, taken or found.</summary>
public sealed record Location
{
    /// <summary>What the place is (e.g. "takeaway on the high street", "hotel car park").</summary>
    public string? Description { get; init; }
    /// <summary>Place or venue name.</summary>
    public string? PlaceName { get; init; }
    /// <summary>Postcode.</summary>
    public string? Postcode { get; init; }
    /// <summary>Unique property reference number (up to 12 digits).</summary>
    public string? Uprn { get; init; }
}
