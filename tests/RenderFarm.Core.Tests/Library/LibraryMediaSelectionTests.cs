using FluentAssertions;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Json;
using RenderFarm.Core.Library;
using Xunit;
using static RenderFarm.Core.Tests.Library.LibraryFixture;

namespace RenderFarm.Core.Tests.Library;

/// <summary>MediaSearchInput picks analysed library media: those its SearchText matches, or all of them.</summary>
public sealed class LibraryMediaSelectionTests
{
    private static readonly LibraryEntry[] Library =
    [
        Entry("beach", "/lib/beach.mp4", "Sunny beach", "Waves rolling onto the sand", ["sea"], Video(6, null, Shot(0, 6)), minute: 1),
        Entry("bakery", "/lib/bakery.mp4", "Morning bakery", "Fresh bread from the oven", ["bread"], Video(8, null, Shot(0, 8, "FRESH BREAD")), minute: 2),
        Entry("harbour", "/lib/harbour.mp4", "Harbour", "Boats on the sea at dawn", ["sea", "boat"], Video(5, null, Shot(0, 5)), minute: 3),
        Entry("pending", "/lib/pending.mp4", "Sea lions", "Not analysed yet", ["sea"], minute: 4),
    ];

    private static MediaSearch Search(string? text) => new("InputConfig.MediaSearchInput", ["ims-default-search-lib"], text);

    [Fact]
    public void SearchText_keeps_the_analysed_media_it_matches_best_first()
    {
        var picked = LibraryMediaSelection.Select(Library, Search("boats at sea"), 10);

        picked.Select(m => m.Url).Should().Equal("/lib/harbour.mp4", "/lib/beach.mp4");
        picked.Should().OnlyContain(m => m.Path == "InputConfig.MediaSearchInput", "probe errors name the field the medium came from");
    }

    [Fact]
    public void Without_SearchText_every_analysed_medium_is_a_candidate_newest_first_up_to_the_limit()
    {
        LibraryMediaSelection.Select(Library, Search(null), 10).Select(m => m.Url)
            .Should().Equal(["/lib/harbour.mp4", "/lib/bakery.mp4", "/lib/beach.mp4"], "the medium still being analysed has no texts to match");
        LibraryMediaSelection.Select(Library, Search(null), 2).Should().HaveCount(2);
    }

    [Fact]
    public void Selecting_nothing_names_the_field_and_why()
    {
        var act = () => LibraryMediaSelection.Select(Library, Search("volcano"), 10);
        act.Should().Throw<RequestException>().Which.Message.Should().Be(
            "InputConfig.MediaSearchInput.LibSearchCondition.SearchText: no analysed medium of the media library matches 'volcano' (its title, description, tags, on-screen text or speech)");

        var empty = () => LibraryMediaSelection.Select([Library[3]], Search(null), 10);
        empty.Should().Throw<RequestException>().Which.Path.Should().Be("InputConfig.MediaSearchInput");
    }
}
