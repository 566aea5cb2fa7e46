using Hl7.Fhir.Model;
using IntegrationHub.Adapters.Health;

namespace IntegrationHub.Adapters.Tests.Health;

/// <summary>Real UK Core R4 examples (TestData/ukcore, see its README) parse in strict mode, in JSON and in XML.</summary>
public class UkCoreFixtureTests
{
    private static List<string> Files() =>
        Directory.GetFiles(TestFiles.UkCoreFolder).Select(f => Path.GetFileName(f))
            .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".xml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();

    public static TheoryData<string> Fixtures() => new(Files());

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_fixture_parses_strictly(string file)
    {
        var format = file.EndsWith(".xml", StringComparison.Ordinal) ? FhirFormat.Xml : FhirFormat.Json;

        var (resource, failure) = HealthFhirAdapter.Parse(TestFiles.UkCore(file), format);

        Assert.Null(failure);
        Assert.NotNull(resource);
        // UKCore-<Type>-<Name>-Example.<ext>
        Assert.Equal(file.Split('-')[1], resource.TypeName);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Json_and_xml_of_a_fixture_are_the_same_resource(string file)
    {
        if (!file.EndsWith(".json", StringComparison.Ordinal))
        {
            return;
        }

        var (fromJson, _) = HealthFhirAdapter.Parse(TestFiles.UkCore(file), FhirFormat.Json);
        var (fromXml, _) = HealthFhirAdapter.Parse(TestFiles.UkCore(Path.ChangeExtension(file, ".xml")), FhirFormat.Xml);

        Assert.True(fromJson!.IsExactly(fromXml!), $"{file} and its XML twin differ");
    }

    [Fact]
    public void The_expected_fixtures_are_all_there()
    {
        var types = Files().Select(f => f.Split('-')[1]).ToHashSet();

        foreach (var type in new[] { "Patient", "Practitioner", "PractitionerRole", "Organization", "RelatedPerson", "ServiceRequest", "Flag", "MessageHeader", "Bundle" })
        {
            Assert.Contains(type, types);
        }
    }
}
