using System.Text;
using IntegrationHub.Ingress.Amqp;
using IntegrationHub.Ingress.Quarantine;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Quarantine;

/// <summary>
/// The agencies' error filter keeps a refused AMQP message in quarantine, and tries again while the database does not
/// answer (decision 0015). A try whose commit went through but whose answer was lost, or the same message redelivered
/// after it was kept, must not make a second quarantine row: an operator could replay each, and the two replays (two
/// replay keys) would route the message as two concerns. Its quarantine id comes from the message (decision 0017).
/// </summary>
public sealed class When_a_refused_AMQP_message_is_kept_again : IDisposable
{
    private const string Queue = "agency.police.inbound";
    private const string User = "agency-police";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"child": {}, "narrative": " "}""");

    private readonly AnswerLost _answerLost = new();
    private readonly HubFactory _hub;

    public When_a_refused_AMQP_message_is_kept_again()
    {
        _hub = new HubFactory(services: s => s.ConfigureDbContext<HubDbContext>(o => o.AddInterceptors(_answerLost)));
    }

    public void Dispose() => _hub.Dispose();

    private QuarantineStore Store => _hub.Services.GetRequiredService<QuarantineStore>();

    /// <summary>What the error filter does for a refused message: keep it under the id its queue, sender, id and body give.</summary>
    private Task<Guid> KeepAsync(string messageId, byte[] body) =>
        Store.AddAsync("Police", "amqp", "Concern", "application/json", "invalid", "The concern could not be read: narrative: blank", body, body.Length,
            CancellationToken.None, sameInputId: AgencyErrorFilter.QuarantineIdFor(Queue, User, messageId, body));

    private async Task<(List<Guid> Rows, int Audited)> KeptAsync()
    {
        _hub.CreateClient().Dispose(); // starts the hub
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        return (await db.Quarantine.AsNoTracking().Select(q => q.Id).ToListAsync(), await db.Audit.CountAsync(a => a.Event == "Quarantined"));
    }

    [Fact]
    public async Task Should_keep_it_once_when_the_answer_to_its_commit_was_lost_and_it_is_written_again()
    {
        _hub.CreateClient().Dispose();
        _answerLost.Armed = true;

        await Assert.ThrowsAsync<TimeoutException>(() => KeepAsync("police-msg-1", Body));
        Assert.Single((await KeptAsync()).Rows); // committed all the same
        var kept = await KeepAsync("police-msg-1", Body);

        var (rows, audited) = await KeptAsync();
        Assert.Equal([kept], rows);
        Assert.Equal(1, audited);
    }

    [Fact]
    public async Task Should_keep_it_once_when_it_is_refused_again_after_a_redelivery()
    {
        var first = await KeepAsync("police-msg-2", Body);
        var again = await KeepAsync("police-msg-2", [.. Body]);

        Assert.Equal(first, again);
        var (rows, audited) = await KeptAsync();
        Assert.Equal([first], rows);
        Assert.Equal(1, audited);
    }

    [Fact]
    public async Task Should_keep_a_different_body_sent_under_the_same_message_id_on_its_own()
    {
        var reused = Encoding.UTF8.GetBytes("""{"child": {}, "narrative": "  "}""");

        var first = await KeepAsync("police-msg-3", Body);
        var second = await KeepAsync("police-msg-3", reused);

        Assert.NotEqual(first, second);
        Assert.Equal(2, (await KeptAsync()).Rows.Count);
    }

    public static TheoryData<string, string?, string?, string> OtherMessages() => new()
    {
        // queue, user_id, message_id, body: each differs from agency.police.inbound, agency-police, police-msg-4, Body in one thing
        { "agency.health.inbound", User, "police-msg-4", """{"child": {}, "narrative": " "}""" },
        { Queue, null, "police-msg-4", """{"child": {}, "narrative": " "}""" },
        { Queue, User, "police-msg-5", """{"child": {}, "narrative": " "}""" },
        { Queue, User, null, """{"child": {}, "narrative": " "}""" },
        { Queue, User, "police-msg-4", """{"child": {}, "narrative": "x"}""" },
    };

    [Theory]
    [MemberData(nameof(OtherMessages))]
    public void Should_give_another_message_another_quarantine_id(string queue, string? userId, string? messageId, string body) =>
        Assert.NotEqual(AgencyErrorFilter.QuarantineIdFor(Queue, User, "police-msg-4", Body),
            AgencyErrorFilter.QuarantineIdFor(queue, userId, messageId, Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Should_not_let_one_part_of_the_id_run_into_the_next() =>
        Assert.NotEqual(AgencyErrorFilter.QuarantineIdFor(Queue, "agency-police|x", "y", Body), AgencyErrorFilter.QuarantineIdFor(Queue, "agency-police", "x|y", Body));

    /// <summary>Lets a quarantine write commit, then fails it as a timeout would after the commit (the answer never came), once.</summary>
    private sealed class AnswerLost : SaveChangesInterceptor
    {
        public bool Armed { get; set; }

        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            if (Armed && eventData.Context!.ChangeTracker.Entries<QuarantineRecord>().Any())
            {
                Armed = false;
                throw new TimeoutException("Simulated: the commit's answer did not come in time.");
            }
            return ValueTask.FromResult(result);
        }
    }
}
