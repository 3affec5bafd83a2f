using FluentAssertions;
using RenderFarm.Core.Library;
using Xunit;
using static RenderFarm.Core.Tests.Library.LibraryFixture;

namespace RenderFarm.Core.Tests.Library;

/// <summary>Library search ranks entries by their texts, in English (stems) and Chinese (character n-grams).</summary>
public sealed class LibrarySearchTests
{
    private static readonly LibraryEntry[] Library =
    [
        Entry("beach", "/lib/beach.mp4", "Sunny beach", "Waves rolling onto the sand", ["sea", "summer"],
            Video(6, "the surf is up today", Shot(0, 3, "", "the surf is up"), Shot(3, 6, "LIFEGUARD ON DUTY", "today")), minute: 1),
        Entry("bakery", "/lib/bakery.mp4", "Morning bakery", "A baker pulls fresh bread from the oven", ["bread", "food"],
            Video(8, null, Shot(0, 5, "FRESH BREAD DAILY"), Shot(5, 8, "CROISSANTS 2 EUR")), minute: 2),
        Entry("panda", "/lib/panda.mp4", "大熊猫吃竹子", "成都基地的大熊猫在吃新鲜的竹子", ["熊猫", "成都"],
            Video(5, "熊猫宝宝正在睡觉", Shot(0, 2, "成都大熊猫繁育研究基地"), Shot(2, 5, "", "熊猫宝宝正在睡觉")), minute: 3),
        Entry("hotpot", "/lib/hotpot.mp4", "重庆火锅", "麻辣火锅和毛肚", ["美食", "重庆"], Video(4, null, Shot(0, 4, "老火锅 营业中")), minute: 4),
        Entry("quiet", "/lib/quiet.mp4", analysis: Video(3, null, Shot(0, 3)), minute: 5),
    ];

    [Fact]
    public void English_words_find_the_medium_they_describe_through_stems()
    {
        var hits = LibrarySearch.Rank(Library, "baking breads");

        hits.Select(h => h.Entry.MediaId).Should().Equal(["bakery"], "only the bakery mentions bread; 'breads' and 'bread' share a stem");
        hits[0].Score.Should().BePositive();
    }

    [Fact]
    public void On_screen_text_finds_the_shot_that_shows_it()
    {
        var hit = LibrarySearch.Rank(Library, "lifeguard").Should().ContainSingle().Subject;

        hit.Entry.MediaId.Should().Be("beach");
        hit.BestShot.Should().NotBeNull();
        (hit.BestShot!.In, hit.BestShot.Out).Should().Be((3.0, 6.0));
    }

    [Fact]
    public void Speech_finds_the_shot_it_is_spoken_in()
    {
        var hit = LibrarySearch.Rank(Library, "surf").Should().ContainSingle().Subject;

        hit.Entry.MediaId.Should().Be("beach");
        hit.BestShot!.In.Should().Be(0);
    }

    [Fact]
    public void Chinese_text_is_matched_without_spaces_between_words()
    {
        var hits = LibrarySearch.Rank(Library, "熊猫在睡觉");

        hits.Should().NotBeEmpty();
        hits[0].Entry.MediaId.Should().Be("panda");
        hits[0].BestShot!.In.Should().Be(2, "the sleeping panda is spoken of in the second shot");
        LibrarySearch.Rank(Library, "火锅").Select(h => h.Entry.MediaId).Should().Equal("hotpot");
    }

    [Fact]
    public void Title_and_tags_outrank_incidental_on_screen_text()
    {
        var library = new[]
        {
            Entry("sign", "/lib/sign.mp4", "Street corner", analysis: Video(2, null, Shot(0, 2, "COFFEE")), minute: 1),
            Entry("cafe", "/lib/cafe.mp4", "Coffee shop", tags: ["coffee"], analysis: Video(2, null, Shot(0, 2)), minute: 2),
        };

        LibrarySearch.Rank(library, "coffee").Select(h => h.Entry.MediaId).Should().Equal("cafe", "sign");
    }

    [Fact]
    public void Nothing_in_common_returns_nothing() =>
        LibrarySearch.Rank(Library, "volcano eruption").Should().BeEmpty();
}
