namespace RenderFarm.Cluster.Jobs;

/// <summary>Identifiers in the IMS shape: 32 lower-case hex characters.</summary>
public static class JobIds
{
    public static string New() => Guid.NewGuid().ToString("N");
}
