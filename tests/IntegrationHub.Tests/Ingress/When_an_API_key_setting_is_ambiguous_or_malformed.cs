using IntegrationHub.Ingress.Security;

namespace IntegrationHub.Tests.Ingress;

/// <summary>
/// A caller's key given both as <c>ApiKey</c> and as <c>ApiKeySha256</c> used the key and ignored the hash without a
/// word, so whoever held the key of the hash was refused; a hash that is not hex SHA-256 matched nothing, and every call
/// of that caller got 401. Both now stop the hub at start, naming the setting and never the key or the hash.
/// </summary>
public sealed class When_an_API_key_setting_is_ambiguous_or_malformed
{
    private const string Key = "agency-key-for-this-test-0123456789abcdef";

    public static TheoryData<string, string, string> Settings => new()
    {
        // section, the ApiKeySha256 given beside (or instead of) the key, what the error says
        { "Hub:Agencies:education", ApiKeyRegistry.Hash(Key), "Both Hub:Agencies:education:ApiKey and Hub:Agencies:education:ApiKeySha256 are set" },
        { "Hub:Operations", ApiKeyRegistry.Hash(Key), "Both Hub:Operations:ApiKey and Hub:Operations:ApiKeySha256 are set" },
        { "Hub:Agencies:probation", Convert.ToBase64String(Convert.FromHexString(ApiKeyRegistry.Hash(Key))), "Hub:Agencies:probation:ApiKeySha256 is not a SHA-256 in hex" },
        { "Hub:Recipients:marp", ApiKeyRegistry.Hash(Key)[..40], "Hub:Recipients:marp:ApiKeySha256 is not a SHA-256 in hex" },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Should_refuse_to_start_naming_the_setting_and_never_the_key_or_hash(string section, string hash, string expected)
    {
        var settings = new Dictionary<string, string?> { [$"{section}:ApiKeySha256"] = hash };
        // The malformed cases give the hash alone: the key is taken away from the section.
        settings[$"{section}:ApiKey"] = expected.StartsWith("Both", StringComparison.Ordinal) ? Key : "";
        using var hub = new HubFactory(settings);

        var error = Assert.ThrowsAny<Exception>(() => hub.CreateClient()).ToString();

        Assert.Contains(expected, error, StringComparison.Ordinal);
        foreach (var text in hub.Logs.Append(error))
        {
            Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(hash, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Should_take_a_hash_given_in_upper_case_with_spaces_around_it()
    {
        using var hub = new HubFactory(new Dictionary<string, string?>
        {
            ["Hub:Agencies:police:ApiKey"] = "",
            ["Hub:Agencies:police:ApiKeySha256"] = $"  {ApiKeyRegistry.Hash(Key).ToUpperInvariant()} ",
        });
        var police = hub.CreateClient();
        police.DefaultRequestHeaders.Add("X-Api-Key", Key);

        await police.PostConcernAsync(TestConcerns.PoliceConcern());
    }
}
