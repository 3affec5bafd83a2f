using System.Text.Json.Nodes;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;
using RenderFarm.Media.Sources;
using RenderFarm.TestSupport;

namespace RenderFarm.Matting.Tests;

/// <summary>
/// The IMS documentation's background-replacement example (Seed002/real_matting.json) rendered end
/// to end with the real ISNet engine, wired as the CLI and farm nodes wire it (a TimelinePreparer
/// given <c>AiEngines(Matte: IsNetMatteProducer)</c>). Every MediaURL is swapped for a local file:
/// h6.mov becomes a 2 s pan over the top of astronaut.png, 03.jpg a magenta image; the clips' Out
/// is cut from 10 s to the clip's 2 s. The right clip is matted over the magenta image; the left
/// one shows the same picture unmatted, so it is the reference for what the person should look like.
/// </summary>
public sealed class RealMattingRenderTests(MattingModel model) : IDisposable
{
    private const int Width = 640, Height = 360, Fps = 25;
    private static readonly (int R, int G, int B) Magenta = (255, 0, 255);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Background_replacement_example_puts_the_person_over_the_new_background()
    {
        var person = PersonClip(_dir.File("h6.mov"));
        var background = _dir.File("03.jpg");
        Tool.Ffmpeg("-f", "lavfi", "-i", "color=c=0xFF00FF:s=640x360", "-frames:v", "1", background);
        var json = Request(name => name == "h6.mov" ? person : background);
        // One analysed picture a second: 2 model runs (about 5 s on 2 cores).
        using var producer = new IsNetMatteProducer(_dir.File("mattes"), new MattingOptions { AnalysisFps = 1 }, matter: model.Matter);
        var output = _dir.File("out.mp4");

        await RenderAsync(json, new AiEngines(Matte: producer), output);

        producer.AnalysedFrames.Should().Be(2, "pictures at 0 and 1 s: the last output frame shows 1.96 s, so none at 2 s is needed");
        Inspect.Probe(output).VideoFrames.Should().Be(2 * Fps);
        foreach (var n in new[] { 12, 37 })
        {
            var frame = Inspect.FrameAt(output, n);
            // The right half (x 320..640) is the matted clip; the left half the same picture unmatted.
            var (x, y, w, h) = Face;
            var matted = Inspect.Mean(frame, Width / 2 + x, y, w, h);
            var original = Inspect.Mean(frame, x, y, w, h);
            Distance(matted, original).Should().BeLessThan(12, $"frame {n}: the face keeps its own pixels ({matted} vs {original})");
            Distance(matted, Magenta).Should().BeGreaterThan(150, $"frame {n}: the face is not background");
            foreach (var (cx, cy, cw, ch) in Wall)
            {
                Distance(Inspect.Mean(frame, Width / 2 + cx, cy, cw, ch), Magenta).Should()
                    .BeLessThan(30, $"frame {n}: the photo's wall at ({cx},{cy}) of the clip is replaced by the magenta image");
                Distance(Inspect.Mean(frame, cx, cy, cw, ch), Magenta).Should()
                    .BeGreaterThan(150, $"frame {n}: unmatted, the wall at ({cx},{cy}) is still there");
            }
        }
    }

    /// <summary>A box on the face (cheek and nose), in the clip's 320x360 half of the output, clear of it while the picture pans.</summary>
    private static readonly (int X, int Y, int W, int H) Face = (75, 150, 50, 40);

    /// <summary>
    /// Wall of the photo in the clip's half: its top corners and its right edge at mid-height. (Its
    /// bottom corners are the suit and the collar ring: the person, not background.)
    /// </summary>
    private static readonly (int X, int Y, int W, int H)[] Wall = [(4, 4, 24, 24), (292, 4, 24, 24), (292, 160, 24, 24)];

    /// <summary>The top of astronaut.png (head and shoulders over the wall), 496x248, panning 16 px right and 8 px down in 2 s.</summary>
    private string PersonClip(string path)
    {
        Tool.Ffmpeg("-loop", "1", "-framerate", $"{Fps}", "-i", model.Astronaut,
            "-vf", "crop=w=496:h=248:x='8*t':y='4*t',format=yuv420p", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-f", "mp4", path);
        return path;
    }

    /// <summary>The seed timeline with its MediaURLs swapped and Out cut to 2 s, in a 640x360 25 fps job request.</summary>
    private static string Request(Func<string, string> mediaFor)
    {
        var timeline = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seed002", "real_matting.json")))!.AsObject();
        foreach (var clip in timeline["VideoTracks"]!.AsArray().SelectMany(t => t!["VideoTrackClips"]!.AsArray()))
        {
            clip!["MediaURL"] = mediaFor(clip["MediaURL"]!.GetValue<string>().Split('/')[^1]);
            if (clip["Out"] is not null) clip["Out"] = 2;
        }
        return new JsonObject
        {
            ["Timeline"] = timeline.ToJsonString(),
            ["OutputMediaConfig"] = new JsonObject { ["Width"] = Width, ["Height"] = Height, ["Fps"] = Fps },
        }.ToJsonString();
    }

    /// <summary>Prepares and renders the way `farm render` does, with media confined to the test's directory.</summary>
    private async Task RenderAsync(string json, AiEngines engines, string output)
    {
        var policy = new MediaSourcePolicy { AllowedRoots = [_dir.Path], CacheDirectory = _dir.File("cache") };
        using var preparer = new TimelinePreparer(policy, TimelineLimits.Default, engines);
        var prepared = await preparer.PrepareAsync(ProducingJobRequest.Parse(json), _dir.Path, TestContext.Current.CancellationToken);
        var renderer = new TimelineRenderer(new FfmpegRunner(), EncoderSettings.Default with { Preset = "ultrafast", Crf = 18 });
        await renderer.RenderAsync(prepared, output, new RenderOptions(), null, TestContext.Current.CancellationToken);
    }

    private static double Distance((double R, double G, double B) a, (double R, double G, double B) b) =>
        Math.Max(Math.Abs(a.R - b.R), Math.Max(Math.Abs(a.G - b.G), Math.Abs(a.B - b.B)));
}
