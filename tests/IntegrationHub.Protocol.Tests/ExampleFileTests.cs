using System.Text.Json;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using static IntegrationHub.Protocol.Tests.TestData;

namespace IntegrationHub.Protocol.Tests;

/// <summary>docs/examples/protocol/&lt;RULE-ID&gt;.&lt;agency&gt;.json: one concern per rule that the agency would send and that fires the rule.</summary>
public class ExampleFileTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "examples");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Example_fires_its_rule(string file)
    {
        var parts = file.Split('.');
        var ruleId = parts[0];
        var agency = Enum.Parse<Agency>(parts[1], ignoreCase: true);
        var concern = JsonSerializer.Deserialize<Concern>(File.ReadAllText(Path.Combine(Folder, file)), Json)!;
        var decision = Engine.Evaluate(Raised(concern, agency), Context);
        Assert.Contains(decision.RulesFired, r => r.RuleId == ruleId);
    }

    [Fact]
    public void Every_concern_rule_has_an_example()
    {
        var covered = Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileName(f).Split('.')[0]).ToHashSet();
        // RI-01 fires only on concerns the hub raises itself from a return interview (no agency can send one); its
        // table is in Lifecycle/LifecycleRuleTables.
        Assert.All(Rules.ConcernRules.All.Where(r => r.Id != "RI-01"), r => Assert.Contains(r.Id, covered));
    }

    [Fact]
    public void Every_example_uses_a_synthetic_nhs_number()
    {
        foreach (var f in Directory.GetFiles(Folder, "*.json"))
        {
            var concern = JsonSerializer.Deserialize<Concern>(File.ReadAllText(f), Json)!;
            if (concern.Child.NhsNumber is { } nhs)
                Assert.True(nhs.StartsWith("999", StringComparison.Ordinal) && NhsNumber.IsValid(nhs), Path.GetFileName(f));
        }
    }
}
