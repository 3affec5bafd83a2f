using RenderFarm.Core.Timelines;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;

namespace RenderFarm.Cli;

/// <summary>Builds the local rendering services from the environment (RENDERFARM_* variables).</summary>
public static class Settings
{
    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable("RENDERFARM_CACHE_DIR")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "renderfarm");

    public static TimelinePreparer Preparer(string baseDirectory, out MediaSourceResolver resolver)
    {
        var policy = MediaSourcePolicy.FromEnvironment(baseDirectory);
        resolver = new MediaSourceResolver(policy);
        var prober = new MediaProber(Path.Combine(CacheDirectory, "probe"));
        return new TimelinePreparer(resolver, prober, TimelineLimits.Default);
    }
}
