using RenderFarm.TestSupport.Servers;

namespace RenderFarm.IntegrationTests;

/// <summary>One RabbitMQ and one PostgreSQL for a test class (each test gets its own database and virtual queues by node names).</summary>
public sealed class Brokers : IDisposable
{
    public RabbitMqServer Rabbit { get; } = new();
    public PostgresServer Postgres { get; } = new();

    public void Dispose()
    {
        Rabbit.Dispose();
        Postgres.Dispose();
    }
}
