namespace IntegrationHub.Contracts.Common;

/// <summary>Who the child is. Send what you know: a concern with missing identifiers is still routed, with a warning.</summary>
public sealed record ChildDetails
{
    /// <summary>NHS number: 10 digits, the last a modulus-11 check digit.</summary>
    public string? NhsNumber { get; init; }
    /// <summary>The sender's or the local authority's own child id (opaque text).</summary>
    public string? LocalChildId { get; init; }
    /// <summary>Given name(s).</summary>
    public string? GivenName { get; init; }
    /// <summary>Family name.</summary>
    public string? FamilyName { get; init; }
    /// <summary>Date of birth (ISO 8601 date).</summary>
    public DateOnly? DateOfBirth { get; init; }
    /// <summary>Age in whole years when the date of birth is not known.</summary>
    public int? AgeYears { get; init; }
    /// <summary>Sex as recorded by the sender.</summary>
    public string? Sex { get; init; }
    /// <summary>Ethnicity as recorded by the sender.</summary>
    public string? Ethnicity { get; init; }
    /// <summary>Home or placement address, one line.</summary>
    public string? Address { get; init; }
    /// <summary>Postcode of that address.</summary>
    public string? Postcode { get; init; }
    /// <summary>Legal status (looked after, child protection plan, ...).</summary>
    public LegalStatus LegalStatus { get; init; }
    /// <summary>The child is disabled (handbook 9.4).</summary>
    public bool Disability { get; init; }
    /// <summary>The child has a learning disability (handbook 9.4).</summary>
    public bool LearningDisability { get; init; }
    /// <summary>The child has a communication difficulty (handbook 9.4).</summary>
    public bool CommunicationDifficulty { get; init; }
    /// <summary>School or college attended.</summary>
    public string? School { get; init; }
    /// <summary>School URN (6 digits).</summary>
    public string? SchoolUrn { get; init; }
}
