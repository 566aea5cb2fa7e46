using System.Text;
using IntegrationHub.Adapters.Education;
using IntegrationHub.Adapters.Health;
using IntegrationHub.Adapters.Police;
using IntegrationHub.Adapters.Probation;
using IntegrationHub.Adapters.Yot;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;

namespace IntegrationHub.Adapters.Inbound;

/// <summary>One kind of message an agency can send, in its own format.</summary>
/// <param name="Name">The kind: the AMQP <c>type</c> property, or <c>{kind}</c> in <c>POST /api/v1/inbound/{kind}</c>.</param>
/// <param name="OnlyFrom">The one agency that sends this kind, or null when any may.</param>
/// <param name="Description">What it is, for the docs and error messages.</param>
/// <param name="Read">Reads the body (sent by the given agency) and maps it to the hub's contract.</param>
public sealed record InboundKind(string Name, Agency? OnlyFrom, string Description, Func<byte[], Agency, InboundResult> Read);

/// <summary>Every kind of inbound message the hub understands, by name.</summary>
public sealed class InboundKinds
{
    private readonly Dictionary<string, InboundKind> _byName;

    /// <summary>The hub's own Concern contract.</summary>
    public const string ConcernKind = "Concern";
    /// <summary>A FHIR R4 referral Bundle.</summary>
    public const string FhirBundleKind = "FhirBundle";

    public InboundKinds(HealthFhirAdapter fhir)
    {
        InboundKind[] kinds =
        [
            new(ConcernKind, null, "The hub's own Concern contract (contracts/schemas/Concern.schema.json), from any agency.", (body, _) => ReadConcern(body)),
            new(FhirBundleKind, Agency.Health, "A FHIR R4 Bundle holding a referral (docs/fhir.md), JSON.",
                (body, _) => FromFhir(fhir.Read(body, FhirFormat.Json))),
            new("Ppd1Notification", Agency.Police, "The police public-protection notification (PPD1).", (body, _) => PoliceAdapter.ReadPpd1(body)),
            new("MissingPersonReport", Agency.Police, "A police missing person report for a child.", (body, _) => PoliceAdapter.ReadMissingPersonReport(body)),
            new("FoundReport", Agency.Police, "A police report that a missing child is found or has returned.", (body, _) => PoliceAdapter.ReadFoundReport(body)),
            new("DslConcern", Agency.Education, "A designated safeguarding lead's concern about a pupil.", (body, _) => EducationAdapter.Read(body)),
            new("ProbationConcern", Agency.Probation, "A probation officer's concern about a child close to a supervised adult.", (body, _) => ProbationAdapter.Read(body)),
            new("YotConcern", Agency.Yot, "A youth offending team's concern.", (body, _) => YotAdapter.Read(body)),
        ];
        All = kinds;
        _byName = kinds.ToDictionary(k => k.Name, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<InboundKind> All { get; private set; }

    public InboundKind? Find(string? name) => name is null ? null : _byName.GetValueOrDefault(name);

    /// <summary>Adds a kind whose intake lives elsewhere (e.g. the lifecycle's canonical messages).</summary>
    public void Add(InboundKind kind)
    {
        _byName[kind.Name] = kind;
        All = [.. All, kind];
    }

    /// <summary>The hub's own concern contract, read strictly and checked.</summary>
    public static InboundResult ReadConcern(byte[] body) => InboundResult.Read<Concern>(body, c => ConcernChecks.Checked(c));

    private static InboundResult FromFhir(AdapterResult result) => result switch
    {
        AdapterResult.Success s => InboundResult.Success(s.Concern),
        AdapterResult.Failure f => InboundResult.Refused([.. f.Issues.Select(i => new InboundProblem(i.Expression ?? "Bundle", $"{i.Code}: {i.Message}"))]),
        _ => throw new InvalidOperationException("Unknown adapter result."),
    };
}
