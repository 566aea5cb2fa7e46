using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Routing.Messaging;

/// <summary>The queue each recipient reads. Names are part of the public contract (docs/wire-format.md).</summary>
public static class RecipientQueues
{
    public const string Mash = "mash.referrals";
    public const string Lado = "lado.allegations";
    public const string Marp = "marp.cases";
    public const string Police = "police.intelligence";
    public const string MissingCoordinator = "missing.coordinator";

    public static readonly IReadOnlyList<string> All = [Mash, Lado, Marp, Police, MissingCoordinator];

    /// <summary>Each agency's feedback queue: what the hub tells the sender's named lead (e.g. a rejected decision not to share).</summary>
    public static string FeedbackFor(Agency agency) => $"agency.{agency.ToString().ToLowerInvariant()}.feedback";

    public static IEnumerable<string> AllFeedback => Enum.GetValues<Agency>().Select(FeedbackFor);

    public static string For(Recipient recipient) => recipient switch
    {
        Recipient.Mash => Mash,
        Recipient.Lado => Lado,
        Recipient.Marp => Marp,
        Recipient.Police => Police,
        Recipient.MissingCoordinator => MissingCoordinator,
        _ => throw new ArgumentOutOfRangeException(nameof(recipient), recipient, "No queue for this recipient."),
    };

    /// <summary>The recipient whose queue <paramref name="address"/> is (its last segment), or null.</summary>
    public static Recipient? RecipientOf(Uri? address)
    {
        var queue = address?.AbsolutePath.Trim('/').Split('/').Last();
        return Enum.GetValues<Recipient>().Cast<Recipient?>().FirstOrDefault(r => For(r!.Value) == queue);
    }
}
