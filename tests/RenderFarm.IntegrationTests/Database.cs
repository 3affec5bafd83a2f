using RenderFarm.TestSupport.Servers;

namespace RenderFarm.IntegrationTests;

/// <summary>One PostgreSQL (Debian's, on loopback, throwaway data) for a test class; each test makes its own database.</summary>
public sealed class Database : IDisposable
{
    public PostgresServer Postgres { get; } = new();

    public void Dispose() => Postgres.Dispose();
}
