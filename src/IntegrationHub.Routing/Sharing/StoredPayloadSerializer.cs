using System.Net.Mime;
using System.Text;
using MassTransit;
using MassTransit.Serialization;

namespace IntegrationHub.Routing.Sharing;

/// <summary>
/// Sends a delivery's outbox payload as the decision committed it, instead of serialising the message again: the
/// body a recipient reads is the stored JSON (the contract's options, as webhook recipients get it), byte for byte
/// the same on every resend. The raw JSON serializer's transport headers are set as before. Set it per send, on the
/// send context's <c>Serializer</c>.
/// </summary>
public sealed class StoredPayloadSerializer(string payload) : RawMessageSerializer, IMessageSerializer
{
    public ContentType ContentType => SystemTextJsonRawMessageSerializer.JsonContentType;

    public MessageBody GetMessageBody<T>(SendContext<T> context) where T : class
    {
        SetRawMessageHeaders(context);
        return new BytesMessageBody(Encoding.UTF8.GetBytes(payload));
    }
}
