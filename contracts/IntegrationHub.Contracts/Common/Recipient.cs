using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.Common;

/// <summary>A service the hub delivers to. Each reads only its own queue and sees only the fields the protocol releases to it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Recipient>))]
public enum Recipient
{
    /// <summary>Multi-agency safeguarding hub (Family Contact Point): queue <c>mash.referrals</c>; the full record.</summary>
    Mash,
    /// <summary>Local authority designated officer: queue <c>lado.allegations</c>; no health detail.</summary>
    Lado,
    /// <summary>Multi-agency risk panel: queue <c>marp.cases</c>; pseudonymous, never a name, date of birth, address, postcode or NHS number.</summary>
    Marp,
    /// <summary>Police public protection: queue <c>police.intelligence</c>.</summary>
    Police,
    /// <summary>Missing-persons coordinator: queue <c>missing.coordinator</c>; identity and the CSE flag only.</summary>
    MissingCoordinator,
}
