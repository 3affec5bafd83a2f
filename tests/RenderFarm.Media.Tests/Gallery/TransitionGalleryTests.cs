using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Gallery;
using Xunit;

namespace RenderFarm.Media.Tests.Gallery;

/// <summary>What the transition contact sheet shows: each name its own look, mid-transition.</summary>
public sealed class TransitionGalleryTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_transition_name_changes_the_picture_and_no_two_look_alike()
    {
        var media = GalleryMedia.Create(_dir.Path);
        // The plain clip at 1.4 s is what a cut (no transition) would show there.
        var baseline = media.Baseline(TransitionGallery.Catalog) with { AtSeconds = 1.4 };
        await GalleryCheck.AssertDistinctAsync(media, TransitionGallery.Samples(media), baseline);
    }
}
