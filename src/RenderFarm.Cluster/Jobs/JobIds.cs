using System.Security.Cryptography;
using System.Text;

namespace RenderFarm.Cluster.Jobs;

/// <summary>Identifiers in the IMS shape: 32 lower-case hex characters.</summary>
public static class JobIds
{
    public static string New() => Guid.NewGuid().ToString("N");

    /// <summary>The job id of a ClientToken: the same token always names the same job, so a repeated submission finds it.</summary>
    public static string ForClientToken(string clientToken) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("client-token:" + clientToken)))[..32];
}
