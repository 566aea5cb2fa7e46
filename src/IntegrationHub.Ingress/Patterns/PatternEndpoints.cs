using IntegrationHub.Ingress.Security;
using IntegrationHub.Persistence;
using IntegrationHub.Routing.Sharing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Ingress.Patterns;

public static class PatternEndpoints
{
    public static IEndpointRouteBuilder MapPatternEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/patterns", GetPatterns)
            .WithName("GetPatterns")
            .WithSummary("Patterns of concern alerted (PAT-01): kind, a fingerprint of the key, pseudonymous child keys, agencies, times. Operations key; never names, VRMs or numbers.");
        return app;
    }

    /// <summary>One pattern for operators. The key itself (a name, a VRM, a phone) goes only to MARP and the police.</summary>
    public sealed record PatternView(Guid PatternId, string KeyKind, string KeyFingerprint, IReadOnlyList<string> ChildKeys,
        IReadOnlyList<string> Agencies, int Revision, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, DateTimeOffset? DetectedAt, DateTimeOffset? UpdatedAt);

    private static async Task<IResult> GetPatterns(HttpContext http, IDbContextFactory<HubDbContext> dbFactory, ChildKeys keys, CancellationToken ct)
    {
        if (Authentication.RequireOperations(http, out _) is { } problem) return problem;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Patterns.AsNoTracking().Where(p => p.DetectedAt != null).OrderByDescending(p => p.LastSeen).Take(1000).ToListAsync(ct);
        return Results.Ok(rows.Select(p => new PatternView(p.Id, p.KeyKind, keys.PatternFingerprint(p.KeyKind, p.Key),
            p.ChildKeys.Split(' ', StringSplitOptions.RemoveEmptyEntries), p.Agencies.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            p.Revision, p.FirstSeen, p.LastSeen, p.DetectedAt, p.UpdatedAt)).ToList());
    }
}
