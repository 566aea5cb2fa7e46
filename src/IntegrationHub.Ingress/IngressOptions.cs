using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Ingress;

/// <summary>The <c>Hub:Http</c> section.</summary>
public sealed class IngressOptions : IValidatableObject
{
    public const string SectionName = "Hub:Http";

    /// <summary>Largest body accepted (bytes). Larger ones are refused with 413 and quarantined.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How much of a refused body is kept in quarantine (bytes).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int QuarantineKeepBytes { get; set; } = 16 * 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A body the hub accepts must fit in quarantine whole, or a refusal after reading it could never be replayed.
        if (QuarantineKeepBytes < MaxBodyBytes)
            yield return new ValidationResult(
                $"Hub:Http:QuarantineKeepBytes ({QuarantineKeepBytes}) must be at least Hub:Http:MaxBodyBytes ({MaxBodyBytes}).",
                [nameof(QuarantineKeepBytes), nameof(MaxBodyBytes)]);
    }
}
