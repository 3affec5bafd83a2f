using FluentAssertions;
using RenderFarm.Core.Timelines;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Gallery;
using Xunit;

namespace RenderFarm.Media.Tests.Gallery;

/// <summary>Every VFX SubType on a clip draws its own look: it changes the clip, and no two names look the same.</summary>
public sealed class VfxGalleryTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_vfx_name_changes_the_picture_and_no_two_look_alike()
    {
        var media = GalleryMedia.Create(_dir.Path);
        var samples = VfxGallery.Samples(media);
        samples.Select(s => s.Name).Should().Equal(VfxCatalog.Names, "the gallery shows every catalog name");

        await GalleryCheck.AssertDistinctAsync(media, samples, media.Baseline("VFX"));
    }
}
