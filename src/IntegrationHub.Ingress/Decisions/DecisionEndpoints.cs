using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Ingress.Problems;
using IntegrationHub.Ingress.Security;
using IntegrationHub.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Ingress.Decisions;

public static class DecisionEndpoints
{
    public static IEndpointRouteBuilder MapDecisionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/decisions/{trackingId:guid}", GetDecision)
            .WithName("GetDecision")
            .WithSummary("The decision about a message: recipients, fields shared and withheld, rules, warnings, deadlines.")
            .WithDescription("Readable with the sending agency's key or the operations key. Another agency's tracking id is 404.")
            .Produces<DecisionView>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> GetDecision(Guid trackingId, HttpContext http, IDbContextFactory<HubDbContext> dbFactory, CancellationToken ct)
    {
        var (caller, problem) = Authentication.Authenticate(http);
        if (problem is not null) return problem;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var message = await db.Messages.AsNoTracking()
            .Where(m => m.TrackingId == trackingId)
            .Select(m => new { m.TrackingId, m.Agency, m.Kind, m.Status, m.ReceivedAt, m.DecidedAt })
            .FirstOrDefaultAsync(ct);
        // Another agency's message is indistinguishable from one that does not exist.
        if (message is null || (!caller!.IsOperations && message.Agency != caller.Agency.ToString()))
            return HubProblems.NotFound("message");

        var latest = await db.Decisions.AsNoTracking().Where(d => d.TrackingId == trackingId)
            .OrderByDescending(d => d.Revision).FirstOrDefaultAsync(ct);
        var deliveries = await db.Deliveries.AsNoTracking().Where(d => d.TrackingId == trackingId)
            .Select(d => new DeliveryView(d.DeliveryId, d.Recipient, d.Queue, d.SentAt)).ToListAsync(ct);
        var decision = latest is null ? null : JsonSerializer.Deserialize<RoutingDecision>(latest.Decision, ContractJson.Options);

        return Results.Ok(new DecisionView
        {
            TrackingId = message.TrackingId,
            Agency = message.Agency,
            Kind = message.Kind,
            Status = decision is null ? "Pending" : "Decided",
            ReceivedAt = message.ReceivedAt,
            DecidedAt = latest?.DecidedAt,
            ProtocolVersion = decision?.ProtocolVersion,
            Revision = latest?.Revision ?? 0,
            Recipients = decision?.Recipients ?? [],
            RulesFired = decision?.RulesFired ?? [],
            Actions = decision?.Actions ?? [],
            Deadlines = decision?.Deadlines ?? [],
            Warnings = decision?.Warnings ?? [],
            Flags = decision?.Flags ?? [],
            Deliveries = deliveries.OrderBy(d => d.Recipient, StringComparer.Ordinal).ToList(),
        });
    }
}
