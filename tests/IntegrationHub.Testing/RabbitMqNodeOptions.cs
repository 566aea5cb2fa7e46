namespace IntegrationHub.Testing;

/// <summary>How to start a private RabbitMQ node.</summary>
public sealed class RabbitMqNodeOptions
{
    /// <summary>First part of the node name; the node is called <c>&lt;prefix&gt;-&lt;random&gt;@localhost</c>.</summary>
    public string NodeNamePrefix { get; init; } = "ihtest";

    /// <summary>Bound on start-up (process start until <c>rabbitmqctl await_startup</c> succeeds).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Bound on a graceful stop before the node is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Enable the management plugin (HTTP API on <see cref="RabbitMqNode.ManagementPort"/>). On by default.</summary>
    public bool EnableManagement { get; init; } = true;

    /// <summary>
    /// A definitions JSON file (users, vhosts, permissions, exchanges, queues, bindings) imported with
    /// <c>rabbitmqctl import_definitions</c> once the node is up. The default <c>guest</c> user stays.
    /// </summary>
    public string? DefinitionsFile { get; init; }

    /// <summary>Erlang cookie; nodes that are to form a cluster must share it. Random when null.</summary>
    public string? ErlangCookie { get; init; }

    /// <summary>Extra lines appended to the node's private rabbitmq.conf (new-style sysctl format).</summary>
    public IReadOnlyList<string> ExtraConfigLines { get; init; } = [];

    /// <summary>Directory with RabbitMQ's own scripts (rabbitmq-server, rabbitmqctl). Probed when null.</summary>
    public string? RabbitMqBinDirectory { get; init; }

    /// <summary>
    /// Also listen for AMQP over TLS on <see cref="RabbitMqNode.AmqpsPort"/>, with a certificate for <c>localhost</c> and
    /// <c>127.0.0.1</c> issued by a CA made for this node alone (<see cref="RabbitMqNode.TlsCaCertificateFile"/>), generated
    /// with <c>openssl</c> at start. Clients are not asked for a certificate (<c>verify_none</c>).
    /// </summary>
    public bool EnableTls { get; init; }

    /// <summary>
    /// Serve the management API over HTTPS on <see cref="RabbitMqNode.ManagementPort"/>, with the same certificate as AMQP
    /// over TLS, instead of plain HTTP. Needs <see cref="EnableTls"/> and <see cref="EnableManagement"/>.
    /// </summary>
    public bool ManagementOverTls { get; init; }

    /// <summary>Listen for plain AMQP on <see cref="RabbitMqNode.AmqpPort"/>. On by default; turn it off with <see cref="EnableTls"/> to allow TLS only.</summary>
    public bool EnablePlainAmqp { get; init; } = true;

    /// <summary>Keep the temp directory (mnesia, logs) after dispose, for post-mortems.</summary>
    public bool KeepTempDirectory { get; init; }
}
