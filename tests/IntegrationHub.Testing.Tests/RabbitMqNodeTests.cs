using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace IntegrationHub.Testing.Tests;

[Trait("Category", "Infrastructure")]
[Collection(DefinitionsRabbitMqFixture.Name)]
public sealed class RabbitMqNodeTests(DefinitionsRabbitMqFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Private_node_listens_on_its_own_ports_and_not_on_the_system_defaults()
    {
        var node = fixture.Node;
        output.WriteLine(node.ToString());
        Assert.NotEqual(5672, node.AmqpPort);
        Assert.NotEqual(15672, node.ManagementPort);
        Assert.NotEqual(25672, node.DistributionPort);
        Assert.StartsWith("ihtest-", node.NodeName, StringComparison.Ordinal);
        Assert.EndsWith("@localhost", node.NodeName, StringComparison.Ordinal);
        Assert.True(FreePort.IsListening(node.ManagementPort), "management plugin is not listening");
        var status = await node.RabbitMqCtlAsync("status");
        Assert.Contains(node.NodeName, status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishes_and_consumes_a_message()
    {
        await using var connection = await Amqp.ConnectAsync(fixture.AmqpUri);
        await using var channel = await Amqp.ConfirmChannelAsync(connection);
        var queue = $"test.pubsub.{Guid.NewGuid():N}";
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: Amqp.Quorum);

        await Amqp.PublishAsync(channel, string.Empty, queue, "hello");

        Assert.Equal("hello", await Amqp.ConsumeOneAsync(channel, queue));
        await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
    }
}

[Trait("Category", "Infrastructure")]
public sealed class RabbitMqDurabilityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Durable_quorum_queue_message_survives_kill_and_restart()
    {
        var sw = Stopwatch.StartNew();
        await using var node = await RabbitMqNode.StartAsync(new RabbitMqNodeOptions { EnableManagement = false });
        output.WriteLine($"started {node} in {sw.Elapsed.TotalSeconds:0.0}s");
        var amqpPort = node.AmqpPort;
        const string queue = "test.durable";

        await using (var connection = await Amqp.ConnectAsync(node.AmqpUri))
        await using (var channel = await Amqp.ConfirmChannelAsync(connection))
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: Amqp.Quorum);
        }

        // RabbitMQ 3.10 (Debian 12) keeps its Ra server directory in DETS, flushed lazily: a quorum queue
        // declared seconds before a SIGKILL is not restarted ("leader not known"). A graceful restart
        // persists the directory; the message published afterwards must then survive the kill.
        await node.RestartAsync();

        await using (var connection = await Amqp.ConnectAsync(node.AmqpUri))
        await using (var channel = await Amqp.ConfirmChannelAsync(connection))
        {
            await Amqp.PublishAsync(channel, string.Empty, queue, "survivor"); // confirmed by the broker
        }

        sw.Restart();
        await node.KillAsync();
        Assert.False(node.IsRunning);
        Assert.False(FreePort.IsListening(amqpPort));
        await node.RestartAsync();
        output.WriteLine($"killed and restarted in {sw.Elapsed.TotalSeconds:0.0}s");
        Assert.Equal(amqpPort, node.AmqpPort);

        await using (var connection = await Amqp.ConnectAsync(node.AmqpUri))
        await using (var channel = await connection.CreateChannelAsync())
        {
            Assert.Equal("survivor", await Amqp.ConsumeOneAsync(channel, queue, TimeSpan.FromSeconds(30)));
        }
    }
}

[Trait("Category", "Infrastructure")]
public sealed class RabbitMqClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Three_nodes_form_a_cluster_and_a_quorum_queue_survives_one_node_stopping()
    {
        var sw = Stopwatch.StartNew();
        var nodes = await RabbitMqNode.StartClusterAsync(3, new RabbitMqNodeOptions { EnableManagement = false });
        try
        {
            output.WriteLine($"cluster formed in {sw.Elapsed.TotalSeconds:0.0}s: {string.Join("; ", nodes.Select(n => n.ToString()))}");
            var running = await nodes[0].RunningClusterNodesAsync();
            Assert.Equal(nodes.Select(n => n.NodeName).Order(), running.Order());

            const string queue = "test.cluster.quorum";
            await using (var connection = await Amqp.ConnectAsync(nodes[0].AmqpUri))
            await using (var channel = await Amqp.ConfirmChannelAsync(connection))
            {
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: Amqp.Quorum);
                await Amqp.PublishAsync(channel, string.Empty, queue, "before");
            }

            var members = await nodes[0].RunCliAsync("rabbitmq-queues", ["quorum_status", queue]);
            output.WriteLine(members);
            foreach (var n in nodes)
            {
                Assert.Contains(n.NodeName, members, StringComparison.Ordinal);
            }

            await nodes[2].StopAsync();
            Assert.Equal(2, (await nodes[0].RunningClusterNodesAsync()).Count);

            await using (var connection = await Amqp.ConnectAsync(nodes[1].AmqpUri))
            await using (var channel = await Amqp.ConfirmChannelAsync(connection))
            {
                await Amqp.PublishAsync(channel, string.Empty, queue, "after"); // confirmed only with a quorum (2 of 3)
            }

            await using (var connection = await Amqp.ConnectAsync(nodes[0].AmqpUri))
            await using (var channel = await connection.CreateChannelAsync())
            {
                Assert.Equal("before", await Amqp.GetOneAsync(channel, queue, TimeSpan.FromSeconds(30)));
                Assert.Equal("after", await Amqp.GetOneAsync(channel, queue, TimeSpan.FromSeconds(30)));
            }

            output.WriteLine($"whole test {sw.Elapsed.TotalSeconds:0.0}s");
        }
        finally
        {
            await Task.WhenAll(nodes.Select(n => n.DisposeAsync().AsTask()));
        }
    }
}
