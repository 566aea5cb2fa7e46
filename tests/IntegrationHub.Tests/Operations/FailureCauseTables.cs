using IntegrationHub.Routing.Failures;

namespace IntegrationHub.Tests.Operations;

/// <summary>
/// A failure's cause is the shape of its message: what the sender wrote (a date of birth, a name) and per-message detail
/// never reach the failures table or a metric tag, and failures that differ only in that detail are one group.
/// </summary>
public class FailureCauseTables
{
    [Theory]
    [InlineData("Literal '2013-02-30' cannot be parsed as a date", "Literal '…' cannot be parsed as a date")]
    [InlineData("Value \"Jay Example\" is too long", "Value '…' is too long")]
    [InlineData("Concern 3f2504e0-4f89-11d3-9a0c-0305e82c3301 failed after 3 tries", "Concern {id} failed after # tries")]
    [InlineData("", "")]
    public void A_cause_keeps_no_value_the_message_quoted(string message, string shape) =>
        Assert.Equal(shape, FailureCause.ShapeOf(message));

    [Fact]
    public void Failures_that_differ_only_in_the_refused_value_are_one_cause() =>
        Assert.Equal(
            FailureCause.KeyOf("DbUpdateException", FailureCause.ShapeOf("Value 'Jay Example' is too long for column 'name'")),
            FailureCause.KeyOf("DbUpdateException", FailureCause.ShapeOf("Value 'Kim Example' is too long for column 'name'")));
}
