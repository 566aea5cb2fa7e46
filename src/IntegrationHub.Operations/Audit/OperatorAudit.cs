using IntegrationHub.Operations.Security;
using IntegrationHub.Persistence;

namespace IntegrationHub.Operations.Audit;

/// <summary>Every operator action is written to the audit log with who, what, when and why.</summary>
public static class OperatorAudit
{
    public static AuditEntry Entry(Operator who, string what, string why, DateTimeOffset when, Guid? trackingId = null) => new()
    {
        At = when,
        TrackingId = trackingId,
        Event = what,
        Actor = who.AuditName.Length > 128 ? who.AuditName[..128] : who.AuditName,
        Detail = $"why: {why}",
    };
}
