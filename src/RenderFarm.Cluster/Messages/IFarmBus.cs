namespace RenderFarm.Cluster.Messages;

/// <summary>The farm's messaging, whatever the transport (RabbitMQ in a cluster, in-memory embedded).</summary>
public interface IFarmBus
{
    /// <summary>Sends a task to the queue of its kind.</summary>
    Task SendAsync(RunTask message, CancellationToken ct = default);

    /// <summary>Publishes a notification to every subscriber.</summary>
    Task PublishAsync<T>(T message, CancellationToken ct = default) where T : class;
}
