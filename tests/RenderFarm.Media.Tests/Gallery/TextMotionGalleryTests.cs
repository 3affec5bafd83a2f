using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Gallery;
using Xunit;

namespace RenderFarm.Media.Tests.Gallery;

/// <summary>What the text motion contact sheet shows: each entrance and exit name mid-animation.</summary>
public sealed class TextMotionGalleryTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_text_motion_name_changes_the_picture_and_no_two_look_alike()
    {
        var media = GalleryMedia.Create(_dir.Path);
        // Compared with the same text standing still at 0.5 s, every sample's moment. The text covers about a
        // tenth of the frame, so a motion that moves or hides all of it changes the frame by some 5-15 levels on
        // average and two half-way motions differ by less: thresholds of 0.5 and 0.2 levels (a still text
        // against itself differs by ~0, the encoder's noise stays under 0.1).
        await GalleryCheck.AssertDistinctAsync(media, TextMotionGallery.Samples(media), TextMotionGallery.Still(media),
            minChange: 0.5, minDistinct: 0.2);
    }
}
