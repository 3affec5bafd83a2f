using System.Text.Json;
using FluentAssertions;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;
using Xunit;

namespace RenderFarm.IntegrationTests;

/// <summary>One embedded node with local media for the media-AI jobs: espeak speech, a music bed, a three-slide video, a silent video.</summary>
public sealed class ProductionNode : IAsyncLifetime
{
    public FarmTestBed Bed { get; } = new();
    public WebhookReceiver Hook { get; } = new(failFirst: 0);
    public FarmNodeProcess Node { get; private set; } = null!;
    public FarmApi Api { get; private set; } = null!;
    public string Voice { get; private set; } = "";
    public string Music { get; private set; } = "";
    public string Slides { get; private set; } = "";
    public string Silent { get; private set; } = "";
    public string Captions { get; private set; } = "";
    public string Shots { get; private set; } = "";
    public string GreenScreen { get; private set; } = "";
    public string Backdrop { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var media = Bed.Media.Directory;
        Voice = MixingMedia.Voice(media, ["Welcome to the show.", "Here is the news."], 2).Path;
        Music = MixingMedia.Music(media, 12);
        Silent = Bed.Media.ColourVideo("silent.mp4", "navy", 1, 160, 90);
        // Three "slides" of 3 s (colour pages) under a moving inset.
        Slides = Path.Combine(media, "slides.mp4");
        Tool.Ffmpeg("-f", "lavfi", "-i", "color=c=white:s=320x180:r=5:d=3", "-f", "lavfi", "-i", "color=c=yellow:s=320x180:r=5:d=3",
            "-f", "lavfi", "-i", "color=c=teal:s=320x180:r=5:d=3", "-f", "lavfi", "-i", "testsrc2=s=64x48:r=5:d=9",
            "-filter_complex", "[0:v][1:v][2:v]concat=n=3:v=1:a=0[deck];[deck][3:v]overlay=x=W-w-4:y=H-h-4[out]",
            "-map", "[out]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", Slides);
        // Two burned-in English captions in the bottom quarter, 0.5-2.5 s and 3.0-5.5 s, over moving colours
        // (not testsrc2: its seconds counter is text a reader rightly reads).
        Captions = Path.Combine(media, "captions.mp4");
        const string font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        Tool.Ffmpeg("-f", "lavfi", "-i", "gradients=s=640x360:r=25:d=6:speed=0.05",
            "-vf", $"drawtext=fontfile={font}:text=Welcome to the farm:fontsize=30:fontcolor=white:borderw=2:x=(w-text_w)/2:y=300:enable=between(t\\,0.5\\,2.5)," +
                   $"drawtext=fontfile={font}:text=Every frame counts:fontsize=30:fontcolor=white:borderw=2:x=(w-text_w)/2:y=300:enable=between(t\\,3\\,5.5)",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", Captions);
        // Four distinct 3 s shots for the cover: bars, the astronaut photo, a moving pattern, a mandelbrot.
        Shots = Path.Combine(media, "shots.mp4");
        Tool.Ffmpeg("-f", "lavfi", "-i", "smptebars=s=320x180:r=10:d=3", "-loop", "1", "-r", "10", "-t", "3", "-i", Photos.Astronaut(),
            "-f", "lavfi", "-i", "testsrc2=s=320x180:r=10:d=3", "-f", "lavfi", "-i", "mandelbrot=s=320x180:r=10",
            "-filter_complex", "[1:v]scale=320:180:force_original_aspect_ratio=decrease,pad=320:180:(ow-iw)/2:(oh-ih)/2,setsar=1[photo];[3:v]trim=duration=3,setpts=PTS-STARTPTS[m];[0:v][photo][2:v][m]concat=n=4:v=1:a=0[out]",
            "-map", "[out]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", Shots);
        // A white square moving over a pure green screen, and a red picture to put behind it.
        GreenScreen = Path.Combine(media, "green.mp4");
        Tool.Ffmpeg("-f", "lavfi", "-i", "color=c=0x00ff00:s=320x180:r=10:d=2", "-f", "lavfi", "-i", "color=c=white:s=60x60:r=10:d=2",
            "-filter_complex", "[0:v][1:v]overlay=x=40+40*t:y=60[out]", "-map", "[out]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", GreenScreen);
        Backdrop = Path.Combine(media, "backdrop.png");
        Tool.Ffmpeg("-f", "lavfi", "-i", "color=c=0xc02020:s=320x180", "-frames:v", "1", Backdrop);
        var env = Bed.Environment("iprod");
        env["RENDERFARM_ALLOWED_HOSTS"] = Hook.HostPort; // NotifyAddress follows the outbound policy
        Node = await FarmNodeProcess.StartAsync("iprod", "gateway,cpu", env);
        Api = new FarmApi(Node.Url, FarmTestBed.Token);
    }

    public async Task<(int Status, JsonElement Body)> SubmitAsync(string body) => await Api.SendAsync(HttpMethod.Post, "SubmitIProductionJob", body);

    /// <summary>QueryIProductionJob until the job ends.</summary>
    public async Task<JsonElement> WaitAsync(string jobId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var (status, body) = await Api.SendAsync(HttpMethod.Get, $"QueryIProductionJob?JobId={jobId}");
            status.Should().Be(200, body.ToString());
            var job = body.GetProperty("Job");
            if (job.GetProperty("State").GetString() is "Success" or "Failed" or "Cancelled") return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {jobId} still {job.GetProperty("State")}: {Node.Log}");
            await Task.Delay(200);
        }
    }

    public ValueTask DisposeAsync()
    {
        Api.Dispose();
        Node.Dispose();
        Hook.Dispose();
        Bed.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>SubmitIProductionJob / QueryIProductionJob / ListIProductionJobs through a real node, IMS-style.</summary>
public sealed class IProductionTests(ProductionNode farm) : IClassFixture<ProductionNode>
{
    [Fact]
    public async Task An_AudioMixing_job_with_IMS_non_strict_JobParams_runs_on_a_worker_calls_back_and_is_listed()
    {
        var (status, body) = await farm.SubmitAsync($$$"""
            {"FunctionName":"AudioMixing","Name":"news with music",
             "Input":{"Type":"Local","Media":"{{{farm.Voice}}}"},
             "Output":{"Type":"Local","Media":"mixes/news.m4a"},
             "JobParams":"{loudness:-16,duck:15,inputs:[{media:'{{{farm.Music}}}',role:music}]}",
             "ScheduleConfig":{"Priority":3},
             "UserData":"{\"NotifyAddress\":\"{{{farm.Hook.Url}}}\"}"}
            """);
        status.Should().Be(200, body.ToString());
        var jobId = body.GetProperty("JobId").GetString()!;
        var job = await farm.WaitAsync(jobId);
        job.GetProperty("State").GetString().Should().Be("Success", job.ToString());
        job.GetProperty("FunctionName").GetString().Should().Be("AudioMixing");
        var output = job.GetProperty("Output").GetProperty("Media").GetString()!;
        output.Should().EndWith(Path.Combine("mixes", "news.m4a"));
        MixingMedia.Ebur128(output).Integrated.Should().BeApproximately(-16, 1);
        job.GetProperty("Result").GetProperty("Loudness").GetDouble().Should().BeApproximately(-16, 1);
        job.GetProperty("Result").GetProperty("Speech").GetArrayLength().Should().Be(2, "two sentences");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (farm.Hook.Delivered == 0 && DateTime.UtcNow < deadline) await Task.Delay(100, TestContext.Current.CancellationToken);
        farm.Hook.LastBody.Should().Contain(jobId).And.Contain("IProductionComplete");

        var (_, list) = await farm.Api.SendAsync(HttpMethod.Get, "ListIProductionJobs?Status=Success&MaxResults=100");
        list.GetProperty("Jobs").EnumerateArray().Select(j => j.GetProperty("JobId").GetString()).Should().Contain(jobId);
    }

    [Fact]
    public async Task A_SlideSplit_job_cuts_a_slide_video_and_writes_a_clip_per_slide()
    {
        var (status, body) = await farm.SubmitAsync($$$"""
            {"FunctionName":"SlideSplit","Input":{"Media":"{{{farm.Slides}}}"},"Output":{"Media":"decks/deck.json"},
             "JobParams":"{titles:false,clips:true,minDuration:1}","ScheduleConfig":{"Priority":1}}
            """);
        status.Should().Be(200, body.ToString());
        var job = await farm.WaitAsync(body.GetProperty("JobId").GetString()!);
        job.GetProperty("State").GetString().Should().Be("Success", job.ToString());
        var segments = job.GetProperty("Result").GetProperty("Segments").EnumerateArray().ToList();
        segments.Select(s => s.GetProperty("Start").GetDouble()).Should().Equal([0, 3, 6], (a, b) => Math.Abs(a - b) <= 0.5, "a cut at each page change, none for the inset");
        var directory = Path.GetDirectoryName(job.GetProperty("Output").GetProperty("Media").GetString())!;
        foreach (var s in segments)
            Inspect.Probe(Path.Combine(directory, s.GetProperty("Clip").GetString()!)).Duration.Should().BeApproximately(3, 0.5);
    }

    [Fact]
    public async Task A_CaptionExtraction_job_with_IMS_non_strict_JobParams_writes_an_srt_of_the_burned_in_captions()
    {
        var (status, body) = await farm.SubmitAsync($$$"""
            {"FunctionName":"CaptionExtraction","Input":{"Type":"Local","Media":"{{{farm.Captions}}}"},"Output":{"Media":"subs/captions.srt"},
             "JobParams":"{fps:5,sep:false,roi:[[0.75, 1], [0, 1]]}"}
            """);
        status.Should().Be(200, body.ToString());
        var job = await farm.WaitAsync(body.GetProperty("JobId").GetString()!);
        job.GetProperty("State").GetString().Should().Be("Success", job.ToString());
        var srt = await File.ReadAllTextAsync(job.GetProperty("Output").GetProperty("Media").GetString()!, TestContext.Current.CancellationToken);
        job.GetProperty("Result").GetProperty("Cues").GetInt32().Should().Be(2, srt);
        var captions = job.GetProperty("Result").GetProperty("Captions").EnumerateArray().ToList();
        captions.Select(c => c.GetProperty("Text").GetString()!.Replace(" ", "")).Should().Equal("Welcometothefarm", "Everyframecounts");
        // Within one sampling interval (0.2 s at fps 5) of when each caption was on screen.
        captions.Select(c => c.GetProperty("Start").GetDouble()).Should().Equal([0.5, 3.0], (a, b) => Math.Abs(a - b) <= 0.2, srt);
        captions.Select(c => c.GetProperty("End").GetDouble()).Should().Equal([2.5, 5.5], (a, b) => Math.Abs(a - b) <= 0.2, srt);
        srt.Should().Contain("00:00:0").And.Contain("Welcome");
    }

    [Fact]
    public async Task A_Cover_job_with_Model_gif_writes_an_animated_gif_of_distinct_moments()
    {
        var (status, body) = await farm.SubmitAsync($$$"""
            {"FunctionName":"Cover","Input":{"Media":"{{{farm.Shots}}}"},"Output":{"Media":"covers/shots.gif"},"JobParams":"{\"Model\":\"gif\"}"}
            """);
        status.Should().Be(200, body.ToString());
        var job = await farm.WaitAsync(body.GetProperty("JobId").GetString()!);
        job.GetProperty("State").GetString().Should().Be("Success", job.ToString());
        var gif = job.GetProperty("Output").GetProperty("Media").GetString()!;
        Inspect.Probe(gif).VideoCodec.Should().Be("gif");
        var moments = job.GetProperty("Result").GetProperty("Moments").EnumerateArray().ToList();
        moments.Should().HaveCountGreaterThanOrEqualTo(3);
        moments.Select(m => (int)(m.GetProperty("Time").GetDouble() / 3)).Distinct().Should().HaveCountGreaterThanOrEqualTo(3, "moments of three different shots");
    }

    [Fact]
    public async Task A_VideoGreenScreenMatting_job_with_bgimage_puts_the_picture_behind_the_keyed_video()
    {
        var (status, body) = await farm.SubmitAsync($$$"""
            {"FunctionName":"VideoGreenScreenMatting","Input":{"Media":"{{{farm.GreenScreen}}}"},"Output":{"Media":"keyed/green.mp4"},
             "JobParams":"{bgimage:'{{{farm.Backdrop}}}'}"}
            """);
        status.Should().Be(200, body.ToString());
        var job = await farm.WaitAsync(body.GetProperty("JobId").GetString()!);
        job.GetProperty("State").GetString().Should().Be("Success", job.ToString());
        var frame = Inspect.Frame(job.GetProperty("Output").GetProperty("Media").GetString()!, 1.0);
        var screen = Inspect.Mean(frame, 250, 10, 40, 40);
        screen.R.Should().BeGreaterThan(150, "the red picture shows where the screen was");
        screen.G.Should().BeLessThan(80);
        var square = Inspect.Mean(frame, 85, 70, 30, 30); // the square's middle at t=1 (x 80-140)
        square.R.Should().BeGreaterThan(200);
        square.G.Should().BeGreaterThan(200, "the white square keeps its colour");
    }

    [Fact]
    public async Task Bad_requests_are_a_400_naming_the_field_and_store_nothing()
    {
        var notMedia = Path.Combine(farm.Bed.Media.Directory, "notes.wav");
        await File.WriteAllTextAsync(notMedia, "not a sound", TestContext.Current.CancellationToken);
        var (_, before) = await farm.Api.SendAsync(HttpMethod.Get, "ListIProductionJobs?MaxResults=100");
        var cases = new (string Body, string Field, string Says)[]
        {
            ($$$"""{"FunctionName":"AudioMixing","Input":{"Media":"{{{farm.Silent}}}"}}""", "Input.Media", "has no audio stream"),
            ($$$"""{"FunctionName":"AudioMixing","Input":{"Media":"{{{notMedia}}}"}}""", "Input.Media", "not a readable"),
            ($$$"""{"FunctionName":"SlideSplit","Input":{"Media":"{{{farm.Voice}}}"}}""", "Input.Media", "has no video stream"),
            ($$$"""{"FunctionName":"AudioMix","Input":{"Media":"{{{farm.Voice}}}"}}""", "FunctionName", "supported: AudioMixing, AudioBeatDetection, MusicSegmentDetect, SlideSplit, CaptionExtraction"),
            ($$$"""{"FunctionName":"AudioMixing","Input":{"Media":"{{{farm.Voice}}}"},"JobParams":"{duck:80}"}""", "JobParams.duck", "between 0.0 and 40.0"),
            ($$$"""{"FunctionName":"AudioMixing","Input":{"Media":"{{{farm.Voice}}}"},"JobParams":"{inputs:[{media:'{{{farm.Silent}}}'}]}"}""", "JobParams.inputs[0].media", "has no audio stream"),
            ("""{"FunctionName":"AudioMixing","Input":{"Type":"OSS","Media":"oss://bucket/voice.wav"}}""", "Input.Media", "OSS needs a storage backend"),
            ("""{"FunctionName":"AudioMixing","Input":{"Type":"Media","Media":"0123456789abcdef0123456789abcdef"}}""", "Input.Media", "not the MediaId of a medium in the media library"),
            ($$$"""{"FunctionName":"AudioMixing","Input":{"Media":"{{{farm.Voice}}}"},"Output":{"Media":"mix.mp4"}}""", "Output.Media", ".m4a"),
        };
        foreach (var (request, field, says) in cases)
        {
            var (status, body) = await farm.SubmitAsync(request);
            status.Should().Be(400, request);
            body.GetProperty("Field").GetString().Should().Be(field, request);
            body.GetProperty("Message").GetString().Should().Contain(says, request);
        }
        var (_, after) = await farm.Api.SendAsync(HttpMethod.Get, "ListIProductionJobs?MaxResults=100");
        after.GetProperty("Jobs").GetArrayLength().Should().Be(before.GetProperty("Jobs").GetArrayLength(), "a refused request stores nothing");
    }
}
