namespace IntegrationHub.Protocol;

/// <summary>Everything the engine needs besides the message: the time and the child's history.</summary>
public sealed record ProtocolContext(DateTimeOffset Now, ChildHistory History)
{
    public static ProtocolContext At(DateTimeOffset now) => new(now, ChildHistory.None);
}
