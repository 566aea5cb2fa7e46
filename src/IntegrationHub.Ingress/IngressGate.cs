using IntegrationHub.Persistence;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Problems;
using IntegrationHub.Ingress.Quarantine;
using IntegrationHub.Ingress.Referrals;
using IntegrationHub.Ingress.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Ingress;

/// <summary>
/// The checks every agency submission passes before it is read: a known agency key, a body within the limit, a JSON
/// content type. From the moment the agency is known, whatever is refused is kept in quarantine.
/// </summary>
public sealed class IngressGate
{
    private readonly QuarantineStore _quarantine;
    private readonly string _channel;
    private readonly string? _kind;
    private readonly string? _contentType;
    private readonly CancellationToken _ct;

    private IngressGate(QuarantineStore quarantine, string channel, string? kind, Agency agency, BodyReader.Body body, string? contentType, CancellationToken ct)
    {
        _quarantine = quarantine;
        _channel = channel;
        _kind = kind;
        Agency = agency;
        Body = body;
        _contentType = contentType;
        _ct = ct;
    }

    public Agency Agency { get; }
    public BodyReader.Body Body { get; }

    /// <summary>The gate for this request, or the problem to answer with.</summary>
    /// <param name="kind">The inbound kind the body is sent as, kept with anything quarantined so that a replay reads it
    /// the same way (<c>QuarantineReplayer</c>); null for input that is not replayed.</param>
    public static async Task<(IngressGate? Gate, IResult? Problem)> OpenAsync(HttpContext http, string channel, string? kind, bool json = true)
    {
        var (caller, problem) = Authentication.Authenticate(http);
        if (problem is not null) return (null, problem);
        if (caller!.IsMarp) return (null, HubProblems.Forbidden("The MARP key reads the review list; it cannot send agency messages."));
        if (caller.IsOperations) return (null, HubProblems.Forbidden("The operations key cannot send agency messages; use your agency's key."));

        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<IngressOptions>>().Value;
        // The server's own limit (Kestrel's 30,000,000 bytes) would throw in the middle of the read, before anything is
        // kept: the gate enforces Hub:Http:MaxBodyBytes itself, keeps what it can, and reads no further than it needs.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit) serverLimit.MaxRequestBodySize = null;
        var body = await BodyReader.ReadAsync(http.Request, options.MaxBodyBytes, options.QuarantineKeepBytes, http.RequestAborted);
        var gate = new IngressGate(services.GetRequiredService<QuarantineStore>(), channel, kind, caller.Agency!.Value, body, http.Request.ContentType, http.RequestAborted);

        if (body.TooLarge)
            return (null, await gate.RefuseAsync(StatusCodes.Status413PayloadTooLarge, "Body too large", "too-large",
                [new FieldError("$", $"The body is {(body.Complete ? "" : "more than ")}{body.Length} bytes; the most accepted is {options.MaxBodyBytes}.")]));
        if (json && !BodyReader.IsJson(http.Request.ContentType))
            return (null, await gate.RefuseAsync(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", "content-type",
                [new FieldError("Content-Type", $"Expected application/json, got '{http.Request.ContentType ?? "none"}'.")]));
        return (gate, null);
    }

    /// <summary>Keeps the body in quarantine and answers with a problem naming what is wrong.</summary>
    public async Task<IResult> RefuseAsync(int status, string title, string reasonCode, IReadOnlyList<FieldError> errors)
    {
        var id = await QuarantineAsync(title, reasonCode, errors);
        return HubProblems.Problem(status, title, "The body was kept in quarantine; operations can see and replay it.", errors, id);
    }

    /// <param name="alongside">Rows committed with the quarantine record, given its id (<see cref="QuarantineStore.AddAsync"/>).</param>
    public Task<Guid> QuarantineAsync(string title, string reasonCode, IReadOnlyList<FieldError> errors, Action<HubDbContext, Guid>? alongside = null)
    {
        var reason = $"{title}: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"));
        return _quarantine.AddAsync(Agency.ToString(), _channel, _kind, _contentType, reasonCode, reason, Body.Bytes, Body.Length, _ct, alongside);
    }
}
