using RenderFarm.Core.Timelines;
using RenderFarm.Media.Sources;

namespace RenderFarm.Cluster.Jobs;

/// <summary>
/// The media policy applied at submission: every MediaURL of a timeline must be one the farm may read
/// (an existing file inside the allowed roots, or an allowed host), so a forbidden or missing source is a
/// 400 naming its clip and nothing is stored, rather than a job that fails later.
/// </summary>
public sealed class MediaAdmission(MediaSourceResolver resolver, string mediaDirectory)
{
    public void Admit(Timeline timeline)
    {
        foreach (var clip in timeline.VideoTracks.SelectMany(t => t.Clips))
            resolver.Admit(clip.MediaUrl, $"{clip.Path}.MediaURL", mediaDirectory);
        foreach (var clip in timeline.AudioTracks.SelectMany(t => t.Clips).Where(c => c.Speech is null))
            resolver.Admit(clip.MediaUrl, $"{clip.Path}.MediaURL", mediaDirectory);
    }
}
