using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Operations.Security;
using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Operations.Commands;

/// <summary>
/// Host commands for scripts. They call the running hub's operations API (so they work the same on the in-memory bus,
/// where another process cannot reach the bus, and on RabbitMQ):
/// <code>
/// dotnet IntegrationHub.Host.dll audit verify
/// dotnet IntegrationHub.Host.dll failures list
/// dotnet IntegrationHub.Host.dll failures retry &lt;id&gt; [--confirm] | --cause &lt;cause&gt;
/// dotnet IntegrationHub.Host.dll failures discard &lt;id&gt; --reason "..."
/// dotnet IntegrationHub.Host.dll flow | queues | deadlines | patterns | audit search &lt;trackingId&gt;
/// dotnet IntegrationHub.Host.dll marp-review [--month YYYY-MM]
/// dotnet IntegrationHub.Host.dll retention purge          (admin)
/// dotnet IntegrationHub.Host.dll agencies list            (admin)
/// dotnet IntegrationHub.Host.dll agencies issue-key &lt;agency&gt; --reason "..."   (admin; prints the new key once)
/// dotnet IntegrationHub.Host.dll hash-password            (reads a password from stdin; prints a PasswordHash)
/// </code>
/// Options: <c>--url</c> (default: the hub's first <c>Urls</c> entry); <c>--user</c> with the password in
/// <c>HUB_PASSWORD</c> (Basic), otherwise the operations key (<c>Hub:Operations:ApiKey</c> or <c>data/keys/operations.key</c>).
/// Exit code 0 on success, 1 when the hub says no or the audit chain is broken, 2 on a usage error.
/// </summary>
public static class HubCommands
{
    private static readonly string[] Verbs = ["audit", "failures", "flow", "queues", "deadlines", "open-episodes", "patterns", "marp-review", "retention", "agencies", "hash-password"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, TextWriter output, TextReader input)
    {
        if (args[0] == "hash-password")
        {
            var password = input.ReadLine();
            if (string.IsNullOrEmpty(password)) { await output.WriteLineAsync("Give the password on standard input."); return 2; }
            await output.WriteLineAsync(PasswordHashing.Hash(password));
            return 0;
        }

        var url = Option(args, "--url") ?? (configuration["Urls"] ?? "http://127.0.0.1:5080").Split(';')[0];
        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        if (Option(args, "--user") is { } user)
        {
            var secret = Environment.GetEnvironmentVariable("HUB_PASSWORD") ?? "";
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
        }
        else if (OperationsKey(configuration) is { } key)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        // An option's value follows it, except after --confirm, a flag.
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal)
            && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal) || args[i - 1] == "--confirm")).ToList();
        var verb = string.Join(' ', positional.Take(2));
        var reason = Option(args, "--reason");
        HttpResponseMessage response = verb switch
        {
            "audit verify" => await client.PostAsync("/api/v1/operations/audit/verify", null),
            "audit search" when positional.Count > 2 => await client.GetAsync($"/api/v1/operations/audit?trackingId={Uri.EscapeDataString(positional[2])}"),
            "failures list" => await client.GetAsync("/api/v1/operations/failures"),
            "failures retry" when Option(args, "--cause") is { } cause =>
                await client.PostAsJsonAsync($"/api/v1/operations/failures/groups/{Uri.EscapeDataString(cause)}/retry", new { reason }),
            // --confirm: replay quarantined input even though its agency sent it again later (result ResentLater without it).
            "failures retry" when positional.Count > 2 =>
                await client.PostAsJsonAsync($"/api/v1/operations/failures/{positional[2]}/retry{(args.Contains("--confirm") ? "?confirm=true" : "")}", new { reason }),
            "failures discard" when positional.Count > 2 && reason is not null =>
                await client.PostAsJsonAsync($"/api/v1/operations/failures/{positional[2]}/discard", new { reason }),
            "retention purge" => await client.PostAsync("/api/v1/operations/retention/purge", null),
            "agencies list" => await client.GetAsync("/api/v1/operations/agencies"),
            "agencies issue-key" when positional.Count > 2 && reason is not null =>
                await client.PostAsJsonAsync($"/api/v1/operations/agencies/{Uri.EscapeDataString(positional[2])}/keys", new { reason }),
            "marp-review" => await client.GetAsync("/api/v1/operations/marp-review" + (Option(args, "--month") is { } month ? $"?month={Uri.EscapeDataString(month)}" : "")),
            _ when positional.Count == 1 && positional[0] is "flow" or "queues" or "deadlines" or "open-episodes" or "patterns" => await client.GetAsync($"/api/v1/operations/{positional[0]}"),
            _ => new HttpResponseMessage(System.Net.HttpStatusCode.NotImplemented),
        };
        if (response.StatusCode == System.Net.HttpStatusCode.NotImplemented)
        {
            await output.WriteLineAsync("Usage: audit verify | audit search <trackingId> | failures list | failures retry <id> [--confirm] | failures retry --cause <cause> | failures discard <id> --reason <why> | flow | queues | deadlines | open-episodes | patterns | marp-review [--month YYYY-MM] | retention purge | agencies list | agencies issue-key <agency> --reason <why> | hash-password");
            return 2;
        }
        var body = await response.Content.ReadAsStringAsync();
        try { body = JsonSerializer.Serialize(JsonDocument.Parse(body).RootElement, new JsonSerializerOptions { WriteIndented = true }); }
        catch (JsonException) { }
        await output.WriteLineAsync(body);
        if (!response.IsSuccessStatusCode)
        {
            await output.WriteLineAsync($"The hub answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            return 1;
        }
        if (verb == "audit verify" && JsonDocument.Parse(body).RootElement.TryGetProperty("intact", out var intact) && !intact.GetBoolean()) return 1;
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string? OperationsKey(IConfiguration configuration)
    {
        if (configuration["Hub:Operations:ApiKey"] is { Length: > 0 } key) return key;
        var file = Path.Combine(Path.GetFullPath(configuration["Hub:DataDirectory"] ?? "data"), "keys", "operations.key");
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }
}
