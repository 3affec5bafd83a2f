using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.Library;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Batch.Matching;
using RenderFarm.Core.Library;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Cluster.Tests.Library;

/// <summary>Image-Text Matching gets the library's texts (and their stored sentence vectors) of every request medium that is a library entry.</summary>
public sealed class LibraryMatchingFactsTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Batch_facts_carry_the_library_texts_of_registered_media_and_none_for_others()
    {
        var media = Directory.CreateDirectory(_dir.File("media")).FullName;
        string Image(string name, string colour)
        {
            var path = Path.Combine(media, name);
            Tool.Ffmpeg("-y", "-v", "error", "-f", "lavfi", "-i", $"color={colour}:s=64x64", "-frames:v", "1", path);
            return path;
        }
        var menu = Image("menu.png", "red");
        var street = Image("street.png", "blue");
        var unknown = Image("unknown.png", "green");
        await using var store = ReadModelStore.Sqlite(_dir.File("farm.db"));
        await store.InitializeAsync(Ct);
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, url, title, ocr) in new[] { ("m1", menu, "Tea house menu", "奶茶 15元"), ("m2", street, "Old street", "") })
        {
            await store.RegisterMediaAsync(new LibraryEntry(id, url, "image", title, null, ["tea"], MediaState.Analysing, null, 0, now, now,
                MediaAnalysisPlanner.JobIdOf(id), null), Ct);
            await store.SaveAnalysisAsync(id, new MediaAnalysis(0, 64, 64, false,
                [new AnalysedShot(0, 0, "shot_000.jpg", ocr, null, new VisualStats(80, 200, "#ff0000"))], null, new VisualStats(80, 200, "#ff0000")), "/k", Ct);
        }
        await store.SaveTextVectorsAsync("m1", new Dictionary<string, float[]> { ["menu-key"] = [1, 0] }, Ct);
        var body = new JsonObject
        {
            ["InputConfig"] = new JsonObject { ["MediaArray"] = new JsonArray(menu, street, unknown), ["SpeechTextArray"] = new JsonArray("Milk tea for fifteen.") }.ToJsonString(),
            ["OutputConfig"] = new JsonObject { ["MediaURL"] = "out/{index}.mp4", ["Count"] = 1, ["Width"] = 320, ["Height"] = 568 },
        }.ToJsonString();
        var request = BatchRequestParser.Parse(body, new BatchParseOptions(KnownVoices: ["andy"]));
        using var gatherer = new BatchFactsGatherer(
            new TimelinePreparer(new MediaSourcePolicy { AllowedRoots = [media], CacheDirectory = _dir.File("cache") }, TimelineLimits.Default),
            media, null, store);

        var facts = await gatherer.GatherAsync(request, new FactsNeeded([menu, street, unknown], []), Ct);

        var texts = facts.Should().BeAssignableTo<IMediaTextFacts>().Subject;
        var menuText = texts.MediaTexts(menu).Should().ContainSingle().Subject;
        (menuText.Title, menuText.OcrText).Should().Be(("Tea house menu", "奶茶 15元"));
        menuText.Tags.Should().Equal("tea");
        texts.MediaTexts(street).Should().ContainSingle().Which.Title.Should().Be("Old street");
        texts.MediaTexts(unknown).Should().BeEmpty();
        facts.Media(menu)!.Width.Should().Be(64, "probing still happens as before");
        texts.TextVectors.Keys.Should().Equal(["menu-key"], "the sentence vectors stored at analysis come with the texts");
    }
}
