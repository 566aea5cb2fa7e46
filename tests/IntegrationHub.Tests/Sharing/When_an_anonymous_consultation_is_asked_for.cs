using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Sharing;

/// <summary>Y13-03 and U13-01 (handbook 9.2, 9.5) through the host.</summary>
public sealed class When_an_anonymous_consultation_is_asked_for : IDisposable
{
    private readonly HubFactory _hub = new();

    private static string Consultation(int age, int? ageAtActivity = null, bool immediateRisk = false) => $$"""
        {
          "child": { "nhsNumber": "{{TestConcerns.NhsNumber}}", "givenName": "{{TestConcerns.ChildGivenName}}",
                     "familyName": "{{TestConcerns.ChildFamilyName}}", "ageYears": {{age}}, "postcode": "SN1 2AB", "school": "Example Academy" },
          "referrer": { "name": "School nurse", "service": "SchoolNursing" },
          "narrative": "{{TestConcerns.ChildGivenName}} says she has an older boyfriend who gives her money.",
          "exploitationType": "Sexual",
          "sexualActivity": { "otherPersonAge": 19{{(ageAtActivity is int then ? $", \"childAgeAtTime\": {then}" : "")}} },
          "immediateRisk": {{(immediateRisk ? "true" : "false")}},
          "anonymousConsultationRequested": true
        }
        """;

    [Theory]
    [InlineData(12, null, false, "U13-01")]
    [InlineData(14, 12, false, "U13-01")] // 14 today, 12 at the time of the activity: the child must be identified
    [InlineData(14, null, true, "IMM-01")] // at immediate risk: the police and MASH must know who the child is
    [InlineData(16, null, false, "Y13-03")]
    public async Task Should_refuse_it_naming_the_rule_keep_the_body_and_route_nothing(int age, int? ageAtActivity, bool immediateRisk, string ruleId)
    {
        var response = await _hub.ClientFor("health").PostAsync("/api/v1/concerns",
            new StringContent(Consultation(age, ageAtActivity, immediateRisk), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = problem.GetProperty("errors")[0];
        Assert.Equal("anonymousConsultationRequested", error.GetProperty("field").GetString());
        Assert.StartsWith(ruleId, error.GetProperty("message").GetString());
        Assert.Contains("send it again with anonymousConsultationRequested false", error.GetProperty("message").GetString());
        Assert.True(problem.TryGetProperty("quarantineId", out _));
        using var scope = _hub.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Messages.CountAsync());
    }

    [Fact]
    public async Task Should_route_a_14_year_old_without_identifiers_and_keep_a_pseudonymous_key()
    {
        var health = _hub.ClientFor("health");
        var trackingId = await health.PostConcernAsync(Consultation(14));
        var decision = await health.WaitForDecisionAsync(trackingId);

        Assert.Contains("Y13-03", decision.RuleIds());
        Assert.Contains("AnonymousConsultation", decision.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        using var scope = _hub.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var stored = await db.Messages.SingleAsync(m => m.TrackingId == trackingId);
        var deliveries = await db.Deliveries.Where(d => d.TrackingId == trackingId).ToListAsync();
        Assert.NotNull(stored.ChildKey);
        Assert.NotEmpty(deliveries);
        foreach (var text in deliveries.Select(d => d.Payload).Append(stored.Payload))
        {
            Assert.DoesNotContain(TestConcerns.NhsNumber, text);
            Assert.DoesNotContain(TestConcerns.ChildGivenName, text);
            Assert.DoesNotContain(TestConcerns.ChildFamilyName, text);
            Assert.DoesNotContain("SN1 2AB", text);
            Assert.DoesNotContain("Example Academy", text);
        }
        Assert.All(deliveries, d => Assert.Contains(stored.ChildKey!, d.Payload));
    }

    public void Dispose() => _hub.Dispose();
}
