using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Gallery;
using Xunit;

namespace RenderFarm.Media.Tests.Gallery;

public sealed class TextStyleGalleryTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_TextStyle_name_changes_the_picture_and_no_two_look_alike()
    {
        var media = GalleryMedia.Create(_dir.Path);

        await GalleryCheck.AssertDistinctAsync(media, TextStyleGallery.Samples(media), media.Baseline(TextStyleGallery.Catalog));
    }
}
