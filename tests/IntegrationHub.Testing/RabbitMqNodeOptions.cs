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

    /// <summary>Keep the temp directory (mnesia, logs) after dispose, for post-mortems.</summary>
    public bool KeepTempDirectory { get; init; }
}
