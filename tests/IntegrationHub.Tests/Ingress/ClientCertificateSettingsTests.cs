using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Security;
using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Tests.Ingress;

/// <summary>How <c>Hub:Agencies:&lt;agency&gt;:CertificateThumbprint(s)</c> are read; a bad setting stops the hub naming it.</summary>
public sealed class ClientCertificateSettingsTests
{
    private const string A = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";
    private const string B = "FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210";

    private static IReadOnlyDictionary<string, Agency> Read(params (string Key, string Value)[] settings) =>
        ClientCertificateRegistry.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Should_read_one_several_and_listed_thumbprints_in_any_case_with_or_without_colons()
    {
        var colons = string.Join(':', A.Chunk(2).Select(c => new string(c))).ToLowerInvariant();

        var read = Read(("Hub:Agencies:police:CertificateThumbprint", $"{colons} , {B}"),
                        ("Hub:Agencies:education:CertificateThumbprints:0", "AB".PadRight(64, 'C')));

        Assert.Equal(Agency.Police, read[A]);
        Assert.Equal(Agency.Police, read[B]);
        Assert.Equal(Agency.Education, read["AB".PadRight(64, 'C')]);
        Assert.Equal(3, read.Count);
    }

    [Theory]
    [InlineData("Hub:Agencies:police:CertificateThumbprint", "0123456789ABCDEF")]                          // SHA-1 length, or truncated
    [InlineData("Hub:Agencies:police:CertificateThumbprint", "XYZ3456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")] // not hex
    [InlineData("Hub:Agencies:health:CertificateThumbprints:0", "")]                                        // an empty list entry
    public void Should_refuse_a_thumbprint_that_is_not_SHA_256_naming_the_setting(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read((key, value)));

        Assert.StartsWith(key + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_one_certificate_for_two_agencies()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Read(("Hub:Agencies:police:CertificateThumbprint", A), ("Hub:Agencies:yot:CertificateThumbprint", A)));

        Assert.Contains("also configured", error.Message, StringComparison.Ordinal);
    }
}
