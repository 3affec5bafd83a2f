using MassTransit;
using RenderFarm.Cluster.Messages;
using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.Nodes;

/// <summary>The farm bus over MassTransit: tasks are sent to the queue of their kind, notifications published.</summary>
public sealed class MassTransitFarmBus(IBus bus) : IFarmBus
{
    public async Task SendAsync(RunTask message, CancellationToken ct = default)
    {
        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{TaskKinds.QueueName(message.Kind)}"));
        await endpoint.Send(message, ct);
    }

    public Task PublishAsync<T>(T message, CancellationToken ct = default) where T : class => bus.Publish(message, ct);
}
