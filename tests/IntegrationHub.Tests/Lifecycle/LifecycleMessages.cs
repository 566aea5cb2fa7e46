using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Contracts;

namespace IntegrationHub.Tests.Lifecycle;

/// <summary>Synthetic missing, found and return-interview bodies, as the police and the interviewer's service send them.</summary>
public static class LifecycleMessages
{
    public static string Child(string localChildId) => $$"""
        { "localChildId": "{{localChildId}}", "givenName": "Testchild", "familyName": "{{localChildId}}", "dateOfBirth": "2012-03-04", "sex": "female" }
        """;

    public static string Missing(string policeReference, string localChildId, DateTimeOffset lastSeen, bool knownCse = false, string from = "Home",
        string? believedWithVehicle = null) => $$"""
        {
          "child": {{Child(localChildId)}},
          "policeReference": "{{policeReference}}",
          "missingFrom": "{{from}}",
          "lastSeenAt": "{{Iso(lastSeen)}}",
          "riskGrade": "Medium",
          "knownCseRisk": {{(knownCse ? "true" : "false")}},
          "believedWith": [{{(believedWithVehicle is null ? "" : $$"""{ "role": "adult driver", "vehicles": [ "{{believedWithVehicle}}" ] }""")}}]
        }
        """;

    public static string Found(string policeReference, string localChildId, DateTimeOffset returnedAt, string from = "Home", bool harmed = false) => $$"""
        {
          "child": {{Child(localChildId)}},
          "policeReference": "{{policeReference}}",
          "returnedAt": "{{Iso(returnedAt)}}",
          "missingFrom": "{{from}}",
          "harmed": {{(harmed ? "true" : "false")}}
        }
        """;

    public static string Interview(string policeReference, string localChildId, DateTimeOffset completedAt, string outcome = "Completed",
        bool discloses = false) => $$"""
        {
          "child": {{Child(localChildId)}},
          "policeReference": "{{policeReference}}",
          "completedAt": "{{Iso(completedAt)}}",
          "completedBy": "Independent Interviewer",
          "independent": true,
          "outcome": "{{outcome}}",
          "findings": "{{(discloses ? "Said an older man drives her to a flat in town." : "Stayed with a friend.")}}",
          "signs": [{{(discloses ? "\"CarsWithUnknownAdults\"" : "")}}],
          "vehicles": [{{(discloses ? "\"XY99 ZZZ\"" : "")}}]
        }
        """;

    public static string ConcernNamingVehicle(string localChildId, string vrm) => $$"""
        {
          "child": {{Child(localChildId)}},
          "referrer": { "name": "Referrer Example", "role": "Designated safeguarding lead" },
          "narrative": "Seen getting into a car driven by an unknown adult after school.",
          "personsOfConcern": [ { "role": "unknown driver", "vehicles": [ "{{vrm}}" ] } ]
        }
        """;

    public static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public sealed record Accepted(Guid TrackingId, Guid EpisodeId);

    public static async Task<Accepted> PostLifecycleAsync(this HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"Expected 202 from {path}, got {(int)response.StatusCode}: {body}");
        var root = JsonDocument.Parse(body).RootElement;
        return new Accepted(root.GetProperty("trackingId").GetGuid(), root.GetProperty("episodeId").GetGuid());
    }

    /// <summary>Polls the episode until <paramref name="until"/> holds, for at most 20 seconds.</summary>
    public static async Task<JsonElement> WaitForEpisodeAsync(this HttpClient operations, Guid episodeId, Func<JsonElement, bool> until)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await operations.GetAsync($"/api/v1/missing-episodes/{episodeId}");
            if (response.IsSuccessStatusCode)
            {
                last = await response.Content.ReadFromJsonAsync<JsonElement>(ContractJson.Options);
                if (until(last)) return last;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Episode {episodeId} did not reach the expected state; last seen: {last}");
    }

    /// <summary>Polls until <paramref name="condition"/> holds, for at most 20 seconds.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        T last = await read();
        while (!condition(last))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}; last: {last}");
            await Task.Delay(50);
            last = await read();
        }
        return last;
    }

    public static string State(this JsonElement episode) => episode.GetProperty("state").GetString()!;

    public static IReadOnlyList<string> Steps(this JsonElement episode) =>
        [.. episode.GetProperty("history").EnumerateArray().Select(s => s.GetProperty("event").GetString()!)];
}
