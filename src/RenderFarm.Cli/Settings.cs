using RenderFarm.Cluster.Hosting;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;

namespace RenderFarm.Cli;

/// <summary>Builds the local rendering services from the environment (RENDERFARM_* variables).</summary>
public static class Settings
{
    /// <summary>
    /// A preparer whose MediaURL policy allows <paramref name="baseDirectory"/> plus RENDERFARM_ALLOWED_ROOTS/HOSTS,
    /// with the AI engines (matting settings from RENDERFARM_MATTING_*; an invalid one is an invalid request naming it).
    /// </summary>
    public static TimelinePreparer Preparer(string baseDirectory)
    {
        var policy = MediaSourcePolicy.FromEnvironment(baseDirectory);
        try { return new(policy, TimelineLimits.Default, AiEngineFactory.Create(Path.Combine(policy.CacheDirectory, "ai"))); }
        catch (ArgumentException e) { throw new RequestException("", e.Message); }
    }

    /// <summary>Reads a timeline or job request file; a missing file is an invalid request (exit 2), like a bad field.</summary>
    public static async Task<ProducingJobRequest> ReadRequestAsync(FileInfo file, CancellationToken ct)
    {
        if (!file.Exists) throw new RequestException("", $"timeline file '{file.FullName}' does not exist");
        return ProducingJobRequest.Parse(await File.ReadAllTextAsync(file.FullName, ct));
    }
}
