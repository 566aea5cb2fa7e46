using IntegrationHub.Contracts.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Sharing;

/// <summary>REC-01 and U13-02 (handbook 9.7) through the host.</summary>
public sealed class When_an_agency_records_a_decision_not_to_share : IDisposable
{
    private readonly HubFactory _hub = new();

    private const string Complete = """
        {
          "child": { "localChildId": "SCH-1", "ageYears": 15 },
          "factors": [],
          "withheldFrom": [ "Mash" ],
          "reasons": "Both pupils are 15 and 16, close in age, in a relationship both describe as consensual; no 9.3 factor applies.",
          "decisionMakers": [ "Ms A Head, head teacher" ],
          "safeguardingLeadConsulted": "Ms D Lead, designated safeguarding lead",
          "signedBy": "Ms A Head",
          "signedOn": "2026-11-27",
          "namedLead": { "name": "Ms D Lead", "role": "Designated safeguarding lead" }
        }
        """;

    private Task<HttpResponseMessage> PostAsync(string body) =>
        _hub.ClientFor("education").PostAsync("/api/v1/decisions-not-to-share", new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Should_accept_a_complete_record_and_name_REC_01()
    {
        var response = await PostAsync(Complete);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var trackingId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingId").GetGuid();
        var decision = await _hub.ClientFor("education").GetFromJsonAsync<JsonElement>($"/api/v1/decisions/{trackingId}");
        Assert.Contains("REC-01", decision.RuleIds());
        Assert.Empty(decision.Recipients());
    }

    [Fact]
    public async Task Should_take_a_record_signed_today_in_the_UK_just_after_midnight_in_summer_time()
    {
        // 1 July 00:30 in London is still 30 June in UTC: "signed on 1 July" is today, not the future.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 6, 30, 23, 30, 0, TimeSpan.Zero));
        using var hub = new HubFactory(services: s => s.AddSingleton<TimeProvider>(clock));

        var response = await hub.ClientFor("education").PostAsync("/api/v1/decisions-not-to-share",
            new StringContent(Complete.Replace("2026-11-27", "2026-07-01"), Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Should_list_every_missing_item_and_tell_the_named_lead()
    {
        var response = await PostAsync("""{ "child": { "ageYears": 14 }, "namedLead": { "name": "Ms D Lead" } }""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var fields = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Equal(["withheldFrom", "reasons", "decisionMakers", "safeguardingLeadConsulted", "signedBy", "signedOn"], fields);
        var quarantineId = problem.GetProperty("quarantineId").GetGuid();

        using var scope = _hub.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var feedback = await db.Deliveries.SingleAsync(d => d.TrackingId == quarantineId);
        Assert.Equal("agency.education.feedback", feedback.Queue);
        Assert.NotNull(feedback.SentAt);
        Assert.Contains("safeguardingLeadConsulted", feedback.Payload);
    }

    [Fact]
    public async Task Should_not_say_a_named_lead_was_told_when_the_record_names_none()
    {
        var response = await PostAsync("""{ "child": { "ageYears": 14 } }""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.DoesNotContain("your named lead has been told", detail, StringComparison.Ordinal);
        Assert.Contains("names no named lead (namedLead)", detail, StringComparison.Ordinal);
    }

    // Found by a review: the stated age won over the date of birth, so this record about a 12-year-old was accepted without U13-02.
    [Fact]
    public async Task Should_take_the_age_from_the_date_of_birth_over_a_stated_age()
    {
        var twelve = LocalDates.Of(DateTimeOffset.UtcNow, "Europe/London").AddYears(-13).AddDays(10);
        var response = await PostAsync(Complete.Replace("\"ageYears\": 15", $"\"ageYears\": 13, \"dateOfBirth\": \"{twelve:yyyy-MM-dd}\""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var fields = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray()
            .Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Contains("child.ageYears", fields);
        Assert.Contains("seniorManagerApproval", fields);
    }

    [Fact]
    public async Task Should_keep_one_record_when_it_is_sent_again_with_the_same_idempotency_key()
    {
        async Task<HttpResponseMessage> SendAsync(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/decisions-not-to-share")
            {
                Content = new StringContent(Complete, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await _hub.ClientFor("education").SendAsync(request);
        }

        var first = await SendAsync("dnts-2026-0042");
        var again = await SendAsync("dnts-2026-0042");
        var other = await SendAsync("dnts-2026-0043");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode, other.StatusCode));
        var ids = new List<Guid>();
        foreach (var response in new[] { first, again, other })
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingId").GetGuid());
        Assert.Equal(ids[0], ids[1]);
        Assert.NotEqual(ids[0], ids[2]);
        using var scope = _hub.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        Assert.Equal(2, await db.Messages.CountAsync(m => m.Kind == "DecisionNotToShareRecorded"));
    }

    [Fact]
    public async Task Should_require_a_senior_managers_approval_for_a_child_under_13()
    {
        var response = await PostAsync(Complete.Replace("\"ageYears\": 15", "\"ageYears\": 12"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var approval = problem.GetProperty("errors").EnumerateArray().Single(e => e.GetProperty("field").GetString() == "seniorManagerApproval");
        Assert.StartsWith("U13-02", approval.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Should_accept_an_under_13_record_with_approval_and_name_U13_02()
    {
        var body = Complete.Replace("\"ageYears\": 15", "\"ageYears\": 12")
            .Replace("\"signedOn\"", "\"seniorManagerApproval\": \"Mr S Manager, head of service\", \"signedOn\"");

        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var trackingId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingId").GetGuid();
        var decision = await _hub.ClientFor("operations").GetFromJsonAsync<JsonElement>($"/api/v1/decisions/{trackingId}");
        Assert.Contains("U13-02", decision.RuleIds());
    }

    // Found by a review: concernTrackingId was never checked, so a record could point at another agency's concern (another
    // child's, perhaps) or at none, and would be read later as being about it.
    [Fact]
    public async Task Should_refuse_a_record_that_names_a_concern_its_agency_did_not_send()
    {
        var policeConcern = await _hub.ClientFor("police").PostConcernAsync(TestConcerns.PoliceConcern());
        var none = Guid.CreateVersion7();

        var messages = new List<string>();
        foreach (var concern in new[] { policeConcern, none })
        {
            var response = await PostAsync(Complete.Replace("\"child\":", $"\"concernTrackingId\": \"{concern}\", \"child\":"));

            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
            Assert.Equal("concernTrackingId", error.GetProperty("field").GetString());
            messages.Add(error.GetProperty("message").GetString()!.Replace(concern.ToString(), "{id}", StringComparison.Ordinal));
        }
        // Another agency's concern and no concern get the same answer: the refusal says nothing about other agencies' concerns.
        Assert.StartsWith("REC-01", messages[0]);
        Assert.Equal(messages[0], messages[1]);
        using var scope = _hub.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Messages.CountAsync(m => m.Kind == "DecisionNotToShareRecorded"));
    }

    [Fact]
    public async Task Should_accept_a_record_that_names_its_own_agencys_concern()
    {
        var concern = await _hub.ClientFor("education").PostConcernAsync(TestConcerns.PoliceConcern());

        var response = await PostAsync(Complete.Replace("\"child\":", $"\"concernTrackingId\": \"{concern}\", \"child\":"));

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _hub.Dispose();
}
