using RenderFarm.Core.Timelines;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;

namespace RenderFarm.Cli;

/// <summary>Builds the local rendering services from the environment (RENDERFARM_* variables).</summary>
public static class Settings
{
    /// <summary>A preparer whose MediaURL policy allows <paramref name="baseDirectory"/> plus RENDERFARM_ALLOWED_ROOTS/HOSTS.</summary>
    public static TimelinePreparer Preparer(string baseDirectory) =>
        new(MediaSourcePolicy.FromEnvironment(baseDirectory), TimelineLimits.Default);
}
