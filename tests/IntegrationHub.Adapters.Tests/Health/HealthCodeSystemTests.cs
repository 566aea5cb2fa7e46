using System.Xml.Linq;
using IntegrationHub.Adapters.Health;
using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Adapters.Tests.Health;

public class HealthCodeSystemTests
{
    private static readonly string PublishedFile = Path.Combine(TestFiles.ExamplesFolder, "CodeSystem-safeguarding-indicator.json");

    [Fact]
    public void The_published_file_is_what_Build_serializes()
    {
        // Regenerate with UPDATE_GOLDEN=1 after adding a concept, and bump HealthCodeSystem.Version.
        TestFiles.AssertMatchesGolden(PublishedFile, FhirJson.Serialize(HealthCodeSystem.Build(), pretty: true));
    }

    private static readonly Type[] Covered =
        [typeof(Sign), typeof(PushFactor), typeof(RiskIndicator), typeof(PullFactor), typeof(AssessmentFactor), typeof(TraffickingType)];

    public static TheoryData<Type> CoveredEnums() => new(Covered);

    [Theory]
    [MemberData(nameof(CoveredEnums))]
    public void Every_enum_value_has_a_concept(Type enumType)
    {
        foreach (var value in Enum.GetValues(enumType))
        {
            var code = CodeOf(value);
            Assert.True(HealthCodeSystem.Find(code) is not null, $"{enumType.Name}.{value} has no concept {code}");
        }
    }

    [Fact]
    public void Every_legal_status_and_referrer_service_but_not_known_has_a_concept()
    {
        foreach (var value in Enum.GetValues<LegalStatus>().Where(v => v != LegalStatus.NotKnown))
        {
            Assert.NotNull(HealthCodeSystem.Find(HealthCodeSystem.CodeFor(value)));
        }

        foreach (var value in Enum.GetValues<ReferrerService>().Where(v => v != ReferrerService.NotKnown))
        {
            Assert.NotNull(HealthCodeSystem.Find(HealthCodeSystem.CodeFor(value)));
        }
    }

    [Theory]
    [InlineData(Sign.UnexplainedGifts, "sign-unexplained-gifts")]
    [InlineData(Sign.SexualActivityUnder16, "sign-sexual-activity-under-16")]
    [InlineData(TraffickingType.OutOfUkAndBack, "trafficking-out-of-uk-and-back")]
    [InlineData(LegalStatus.LookedAfter, "legal-status-looked-after")]
    public void Codes_are_kebab_case_with_a_prefix_per_enum(object value, string code)
    {
        Assert.Equal(code, CodeOf(value));
    }

    [Fact]
    public void Codes_are_unique()
    {
        var duplicates = HealthCodeSystem.Concepts.GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => g.Key);

        Assert.Empty(duplicates);
    }

    [Fact]
    public void Displays_are_the_contracts_xml_doc_summaries()
    {
        var docFile = Path.Combine(AppContext.BaseDirectory, "IntegrationHub.Contracts.xml");
        Assert.True(File.Exists(docFile), "the contracts' XML documentation is not beside the tests");
        var summaries = XDocument.Load(docFile).Descendants("member")
            .ToDictionary(m => (string)m.Attribute("name")!, m => m.Element("summary")!.Value.Trim());

        var checkedCount = 0;
        foreach (var type in Covered.Append(typeof(LegalStatus)).Append(typeof(ReferrerService)))
        {
            foreach (var value in Enum.GetValues(type))
            {
                if (HealthCodeSystem.Find(CodeOf(value)) is not { } concept)
                {
                    continue;
                }

                Assert.Equal(summaries[$"F:{type.FullName}.{value}"], concept.Display);
                checkedCount++;
            }
        }

        Assert.True(checkedCount > 80);
    }

    private static string CodeOf(object value) =>
        (string)typeof(HealthCodeSystem).GetMethod(nameof(HealthCodeSystem.CodeFor))!
            .MakeGenericMethod(value.GetType()).Invoke(null, [value])!;
}
