using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts;

namespace IntegrationHub.Tests.Operations;

/// <summary>Talks to the operations API as a console user (Basic, with the generated embedded-mode password) or with the operations key.</summary>
public static class OperationsClient
{
    public static HttpClient ClientAsUser(this HubFactory hub, string user)
    {
        var client = hub.CreateClient(); // starts the hub, which writes the generated passwords
        var password = File.ReadAllText(Path.Combine(hub.DataDirectory, "keys", $"console-{user}.password")).Trim();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public static async Task<JsonElement> PostJsonAsync(this HttpClient client, string path, object? body = null)
    {
        using var response = await client.PostAsJsonAsync(path, body ?? new { }, ContractJson.Options);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Polls until <paramref name="condition"/> holds, for at most <paramref name="timeout"/>.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        T last;
        do
        {
            last = await read();
            if (condition(last)) return last;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"Not in time: {what}. Last seen: {last}");
    }
}
