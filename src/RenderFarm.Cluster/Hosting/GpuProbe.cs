namespace RenderFarm.Cluster.Hosting;

/// <summary>Which accelerator this node has: an NVIDIA GPU when the driver exposes one, else the CPU.</summary>
public static class GpuProbe
{
    public static string Describe()
    {
        const string nvidia = "/proc/driver/nvidia/gpus";
        if (Directory.Exists(nvidia) && Directory.EnumerateDirectories(nvidia).Any())
            return $"nvidia ({Directory.EnumerateDirectories(nvidia).Count()} GPU)";
        return $"cpu ({Environment.ProcessorCount} cores, no GPU driver)";
    }
}
