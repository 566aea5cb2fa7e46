using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Contracts;

namespace IntegrationHub.IntegrationTests;

/// <summary>Reads an operations API page until it shows what a test waits for.</summary>
internal static class OperationsPolling
{
    /// <summary>GETs <paramref name="path"/> every 250 ms until <paramref name="condition"/> holds, for up to 40 s; the time-out names <paramref name="what"/> and the last answer.</summary>
    public static async Task<JsonElement> EventuallyAsync(HttpClient client, string path, Func<JsonElement, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await client.GetFromJsonAsync<JsonElement>(path, ContractJson.Options);
            if (condition(last)) return last;
            await Task.Delay(250);
        }
        throw new TimeoutException($"Not in time: {what}. Last seen: {last}");
    }
}
