using Hl7.Fhir.Model;
using IntegrationHub.Contracts.Referrals;

namespace IntegrationHub.Adapters.Health;

/// <summary>
/// One thing the adapter has to say about a body: an error that stops it, or a warning the sender should see.
/// <paramref name="Expression"/> is a FHIRPath into the body as sent, e.g. <c>Bundle.entry[1].resource.identifier[0].value</c>.
/// </summary>
public sealed record AdapterIssue(
    OperationOutcome.IssueSeverity Severity,
    OperationOutcome.IssueType Code,
    string Message,
    string? Expression = null)
{
    internal static AdapterIssue Error(OperationOutcome.IssueType code, string message, string? expression = null) =>
        new(OperationOutcome.IssueSeverity.Error, code, message, expression);

    internal static AdapterIssue Warning(OperationOutcome.IssueType code, string message, string? expression = null) =>
        new(OperationOutcome.IssueSeverity.Warning, code, message, expression);

    internal OperationOutcome.IssueComponent ToComponent()
    {
        var issue = new OperationOutcome.IssueComponent
        {
            Severity = Severity,
            Code = Code,
            Diagnostics = Message,
        };
        if (Expression is not null)
        {
            issue.Expression = [Expression];
        }

        return issue;
    }
}

/// <summary>What reading a health referral gave: a <see cref="Concern"/> or the reasons there is none.</summary>
public abstract record AdapterResult
{
    private AdapterResult()
    {
    }

    /// <summary>The body mapped to a concern; <paramref name="Warnings"/> are worth returning to the sender.</summary>
    public sealed record Success(Concern Concern, IReadOnlyList<AdapterIssue> Warnings) : AdapterResult
    {
        /// <summary>The outcome to return with 202: an information issue carrying the tracking id, then the warnings.</summary>
        public OperationOutcome ToOperationOutcome(string trackingId)
        {
            var outcome = new OperationOutcome();
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Information,
                Code = OperationOutcome.IssueType.Informational,
                Diagnostics = $"Concern accepted; tracking id {trackingId}.",
                Details = new CodeableConcept { Text = trackingId },
            });
            outcome.Issue.AddRange(Warnings.Select(w => w.ToComponent()));
            return outcome;
        }
    }

    /// <summary>
    /// The body was refused. <paramref name="Unprocessable"/> is false when it is not well-formed, valid FHIR
    /// (HTTP 400) and true when it is valid FHIR that is not a referral the hub can take (HTTP 422).
    /// </summary>
    public sealed record Failure(IReadOnlyList<AdapterIssue> Issues, bool Unprocessable) : AdapterResult
    {
        /// <summary>400 or 422, as FHIR's RESTful API uses them.</summary>
        public int StatusCode => Unprocessable ? 422 : 400;

        /// <summary>The outcome to return with <see cref="StatusCode"/>.</summary>
        public OperationOutcome ToOperationOutcome()
        {
            var outcome = new OperationOutcome();
            outcome.Issue.AddRange(Issues.Select(i => i.ToComponent()));
            return outcome;
        }
    }
}
