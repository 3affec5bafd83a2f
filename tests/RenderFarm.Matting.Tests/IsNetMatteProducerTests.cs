using System.Globalization;
using RenderFarm.Media.Ai;
using RenderFarm.TestSupport;

namespace RenderFarm.Matting.Tests;

/// <summary>
/// A 1.2 s 25 fps clip made from astronaut.png with a slow zoom (so frames differ), matted once
/// with the real model at 2 analysed pictures a second (3 model runs: no motion gate) and shared by the tests.
/// </summary>
public sealed class ProducedClipMatte(MattingModel model) : IAsyncLifetime
{
    public const int Frames = 30, Fps = 25;
    public const double AnalysisFps = 2;
    private readonly TempDir _dir = new();

    public string Clip { get; private set; } = "";
    public string CacheDirectory => _dir.File("cache");
    public IsNetMatteProducer Producer { get; private set; } = null!;
    public MatteRequest Request { get; private set; } = null!;
    public string Matte { get; private set; } = "";
    public long AnalysedByFirstRun { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Clip = _dir.File("astronaut.mp4");
        Tool.Ffmpeg("-loop", "1", "-i", model.Astronaut,
            "-vf", "zoompan=z='1+0.002*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=512x512:fps=25",
            "-frames:v", $"{Frames}", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", Clip);
        Producer = new IsNetMatteProducer(CacheDirectory, new MattingOptions { AnalysisFps = AnalysisFps, MotionThreshold = 0 }, matter: model.Matter);
        Request = new MatteRequest(Clip, 0, 1, Fps, Frames, 512, 512, Threshold: 20);
        Matte = await Producer.ProduceAsync(Request, CancellationToken.None);
        AnalysedByFirstRun = Producer.AnalysedFrames;
    }

    public ValueTask DisposeAsync()
    {
        Producer.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class IsNetMatteProducerTests(ProducedClipMatte produced, MattingModel model) : IClassFixture<ProducedClipMatte>, IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_matte_video_has_every_output_frame_with_the_person_white_and_the_background_black()
    {
        var facts = Inspect.Probe(produced.Matte);
        facts.VideoFrames.Should().Be(ProducedClipMatte.Frames);
        facts.Duration.Should().BeApproximately(1.2, 0.001);
        facts.VideoCodec.Should().Be("ffv1");
        (facts.Width, facts.Height).Should().Be((512, 512));
        FrameRate(produced.Matte).Should().Be("25/1");
        // Frames up to 1.16 s at 2 pictures a second: 0, 0.5, 1 and 1.5 s, but the 1.2 s clip has no
        // picture at 1.5 s, so the 1 s matte stands for it.
        produced.AnalysedByFirstRun.Should().Be(3);

        var frames = Inspect.AllFrames(produced.Matte);
        foreach (var n in new[] { 0, 13, 29 })
        {
            var (x, y, w, h) = MattingModel.Person;
            Inspect.Mean(frames[n], x, y, w, h).R.Should().BeGreaterThan(0.9 * 255, $"frame {n}'s box lies inside the person");
            foreach (var (bx, by, bw, bh) in MattingModel.Background)
                Inspect.Mean(frames[n], bx, by, bw, bh).R.Should().BeLessThan(0.1 * 255, $"frame {n}'s box at ({bx},{by}) is background");
        }
    }

    [Fact]
    public async Task The_same_request_again_returns_the_cached_file_without_running_the_model()
    {
        var written = File.GetLastWriteTimeUtc(produced.Matte);

        var again = await produced.Producer.ProduceAsync(produced.Request with { }, TestContext.Current.CancellationToken);

        again.Should().Be(produced.Matte);
        produced.Producer.AnalysedFrames.Should().Be(produced.AnalysedByFirstRun);
        File.GetLastWriteTimeUtc(again).Should().Be(written);
        Directory.GetFiles(produced.CacheDirectory).Should().Equal([produced.Matte], "nothing else, no partial file, is left in the cache");
    }

    [Fact]
    public async Task Cancelling_stops_the_work_and_leaves_nothing_in_the_cache()
    {
        var cache = _dir.File("cache");
        using var producer = new IsNetMatteProducer(cache, new MattingOptions { AnalysisFps = 1 }, matter: model.Matter);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(800));

        var act = () => producer.ProduceAsync(produced.Request with { Threshold = 0 }, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        Directory.GetFiles(cache).Should().BeEmpty();
    }

    [Fact]
    public async Task A_missing_model_names_the_setup_script()
    {
        using var producer = new IsNetMatteProducer(_dir.File("cache"), new MattingOptions { ModelPath = _dir.File("none.onnx") });

        var act = () => producer.ProduceAsync(produced.Request, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<FileNotFoundException>()).WithMessage("*none.onnx*scripts/setup-models.sh*");
    }

    [Fact]
    public void The_cache_key_changes_with_the_source_file_every_request_field_the_settings_and_the_model()
    {
        var source = new FileInfo(produced.Clip);
        var request = produced.Request;
        var options = new MattingOptions();
        var key = IsNetMatteProducer.CacheKey(request, source, options, "sha");
        var copy = _dir.File("copy.mp4");
        File.Copy(produced.Clip, copy);

        string[] variants =
        [
            IsNetMatteProducer.CacheKey(request with { SourcePath = copy }, new FileInfo(copy), options, "sha"),
            IsNetMatteProducer.CacheKey(request with { SourceStart = 0.04 }, source, options, "sha"),
            IsNetMatteProducer.CacheKey(request with { Speed = 2 }, source, options, "sha"),
            IsNetMatteProducer.CacheKey(request with { Fps = 30 }, source, options, "sha"),
            IsNetMatteProducer.CacheKey(request with { Frames = 31 }, source, options, "sha"),
            IsNetMatteProducer.CacheKey(request with { SourceWidth = 510 }, source, options, "sha"),
            IsNetMatteProducer.CacheKey(request with { SourceHeight = 510 }, source, options, "sha"),
            IsNetMatteProducer.CacheKey(request with { Threshold = 21 }, source, options, "sha"),
            IsNetMatteProducer.CacheKey(request, source, options with { AnalysisFps = 4 }, "sha"),
            IsNetMatteProducer.CacheKey(request, source, options with { MatteSize = 512 }, "sha"),
            IsNetMatteProducer.CacheKey(request, source, options with { TemporalSmoothing = 0 }, "sha"),
            IsNetMatteProducer.CacheKey(request, source, options with { MotionThreshold = 0.02 }, "sha"),
            IsNetMatteProducer.CacheKey(request, source, options, "other model"),
        ];
        File.SetLastWriteTimeUtc(copy, source.LastWriteTimeUtc.AddSeconds(1));
        var touched = IsNetMatteProducer.CacheKey(request with { SourcePath = copy }, new FileInfo(copy), options, "sha");

        variants.Append(touched).Append(key).Should().OnlyHaveUniqueItems();
        IsNetMatteProducer.CacheKey(request with { }, new FileInfo(produced.Clip), options with { }, "sha").Should().Be(key);
    }

    [Fact]
    public async Task An_image_clip_is_analysed_once_however_many_frames_it_shows()
    {
        using var producer = new IsNetMatteProducer(_dir.File("cache"), new MattingOptions(), matter: model.Matter);
        var request = new MatteRequest(model.Astronaut, 0, 1, 25, 50, 512, 512, Threshold: 0);

        var matte = await producer.ProduceAsync(request, TestContext.Current.CancellationToken);

        producer.AnalysedFrames.Should().Be(1, "a still picture never changes: 2 s looked at 5 times a second is 11 pictures, one analysed");
        var frames = Inspect.AllFrames(matte);
        frames.Should().HaveCount(50);
        var (x, y, w, h) = MattingModel.Person;
        Inspect.Mean(frames[49], x, y, w, h).R.Should().BeGreaterThan(0.9 * 255, "the one matte stands for every frame");
    }

    /// <summary>
    /// A person moving across the frame (a 384x384 window panning over astronaut.png at 80 px/s right
    /// and 40 px/s down, 10 fps; the clip uses the first 0.6 s of a 0.8 s source): the motion-driven
    /// matte (default settings: a picture every 0.2 s looked at, analysed when it changed) against a
    /// matte of every frame analysed on its own (no gate, no smoothing). Intersection over union of
    /// the person (matte at least half) per frame.
    /// </summary>
    [Fact]
    public async Task The_motion_driven_matte_of_a_moving_person_stays_within_IoU_095_of_per_frame_mattes()
    {
        const int frames = 6, fps = 10;
        var clip = _dir.File("moving.mp4");
        Tool.Ffmpeg("-loop", "1", "-framerate", $"{fps}", "-i", model.Astronaut,
            "-vf", "crop=w=384:h=384:x='80*t':y='40*t',format=yuv420p", "-frames:v", $"{frames + 2}", "-c:v", "libx264", "-preset", "ultrafast", clip);
        var request = new MatteRequest(clip, 0, 1, fps, frames, 384, 384, Threshold: 0);
        using var gated = new IsNetMatteProducer(_dir.File("gated"), new MattingOptions(), matter: model.Matter);
        using var everyFrame = new IsNetMatteProducer(_dir.File("every"),
            new MattingOptions { AnalysisFps = fps, MotionThreshold = 0, TemporalSmoothing = 0 }, matter: model.Matter);

        var motion = Inspect.AllFrames(await gated.ProduceAsync(request, TestContext.Current.CancellationToken));
        var reference = Inspect.AllFrames(await everyFrame.ProduceAsync(request, TestContext.Current.CancellationToken));

        everyFrame.AnalysedFrames.Should().Be(frames);
        gated.AnalysedFrames.Should().BeInRange(2, 4, "a moving picture is analysed more than once, at most at the 5 a second looked at (0, 0.2, 0.4, 0.6 s)");
        motion.Should().HaveCount(frames);
        for (var n = 0; n < frames; n++)
            PersonIoU(motion[n].Rgb, reference[n].Rgb).Should().BeGreaterThanOrEqualTo(0.95, $"frame {n}");
    }

    private static double PersonIoU(byte[] a, byte[] b)
    {
        long both = 0, either = 0;
        for (var i = 0; i < a.Length; i += 3)
        {
            bool pa = a[i] >= 128, pb = b[i] >= 128;
            if (pa && pb) both++;
            if (pa || pb) either++;
        }
        return either == 0 ? 1 : (double)both / either;
    }

    private static string FrameRate(string path) =>
        System.Text.Encoding.ASCII.GetString(Tool.Run("ffprobe", "-v", "error", "-select_streams", "v:0",
            "-show_entries", "stream=r_frame_rate", "-of", "csv=p=0", path).Stdout).Trim();
}
