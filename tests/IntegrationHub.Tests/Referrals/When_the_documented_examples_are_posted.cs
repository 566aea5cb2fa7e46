using IntegrationHub.Tests.Contracts;

namespace IntegrationHub.Tests.Referrals;

/// <summary>
/// Every example in docs/examples is a concern its agency can really send: <c>&lt;agency&gt;-concern.json</c> is accepted
/// and decided, and <c>protocol/&lt;RULE-ID&gt;.&lt;agency&gt;.json</c> is decided with that rule named.
/// </summary>
public sealed class When_the_documented_examples_are_posted : IClassFixture<SharedHub>
{
    private readonly HubFactory _hub;

    public When_the_documented_examples_are_posted(SharedHub hub) => _hub = hub.Factory;

    private static string Examples => Path.Combine(ContractSchemaTests.RepositoryRoot(), "docs", "examples");

    public static TheoryData<string> AgencyExamples =>
        new(Directory.GetFiles(Examples, "*-concern.json").Select(Path.GetFileName)!);

    public static TheoryData<string> ProtocolExamples
    {
        get
        {
            var files = Directory.GetFiles(Path.Combine(Examples, "protocol"), "*.json").Select(Path.GetFileName).ToArray();
            Assert.NotEmpty(files);
            return new TheoryData<string>(files!);
        }
    }

    [Theory]
    [MemberData(nameof(AgencyExamples))]
    public async Task Should_accept_and_decide_each_agency_example(string file)
    {
        var agency = file[..file.IndexOf('-')];
        var client = _hub.ClientFor(agency);

        var trackingId = await client.PostConcernAsync(await File.ReadAllTextAsync(Path.Combine(Examples, file)));
        var decision = await client.WaitForDecisionAsync(trackingId);

        Assert.NotEmpty(decision.Recipients());
        Assert.NotEmpty(decision.RuleIds());
    }

    [Theory]
    [MemberData(nameof(ProtocolExamples))]
    public async Task Should_name_the_rule_each_protocol_example_is_for(string file)
    {
        var parts = file.Split('.');
        var (rule, agency) = (parts[0], parts[1]);
        var client = _hub.ClientFor(agency);

        var trackingId = await client.PostConcernAsync(await File.ReadAllTextAsync(Path.Combine(Examples, "protocol", file)));
        var decision = await client.WaitForDecisionAsync(trackingId);

        Assert.Contains(rule, decision.RuleIds());
    }
}
