namespace IntegrationHub.Tests.Privacy;

public sealed class When_concerns_flow : IDisposable
{
    private readonly HubFactory _hub = new();

    [Fact]
    public async Task Should_write_no_personal_data_to_the_logs()
    {
        var police = _hub.ClientFor("police");
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern(immediateRisk: true));
        await police.WaitForDecisionAsync(trackingId);
        await police.PostAsync("/api/v1/concerns", new StringContent(
            TestConcerns.PoliceConcern().Replace("\"narrative\"", "\"narative\""), System.Text.Encoding.UTF8, "application/json"));

        var logs = string.Join('\n', _hub.Logs);
        Assert.Contains(trackingId.ToString(), logs); // the logs do speak of the concern, by id
        Assert.DoesNotContain(TestConcerns.ChildGivenName, logs);
        Assert.DoesNotContain(TestConcerns.ChildFamilyName, logs);
        Assert.DoesNotContain(TestConcerns.NhsNumber, logs);
        Assert.DoesNotContain("SN1 2AB", logs);
        Assert.DoesNotContain("unknown adults", logs);
        Assert.DoesNotContain(HubFactory.KeyFor("police"), logs);
    }

    public void Dispose() => _hub.Dispose();
}
