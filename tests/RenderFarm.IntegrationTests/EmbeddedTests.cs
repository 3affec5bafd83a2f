using System.Text.Json;
using FluentAssertions;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;
using Xunit;

namespace RenderFarm.IntegrationTests;

/// <summary>The embedded default: one process, in-memory transport, SQLite. Killed mid-job and started again, the job completes.</summary>
public sealed class EmbeddedTests : IDisposable
{
    private readonly FarmTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task Killed_mid_job_and_restarted_the_embedded_farm_completes_the_job()
    {
        var env = _bed.Environment("solo");
        using var first = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", env, "--slots", "encode-segment=1");
        var timeline = _bed.Timeline(3, seconds: 5);
        string jobId;
        using (var api = new FarmApi(first.Url, FarmTestBed.Token))
        {
            jobId = await api.SubmitAsync($$"""{"Timeline":{{timeline}},"OutputMediaConfig":{{FarmTestBed.Output}} }""");
            await api.WaitForAsync(jobId, job => FarmTestBed.Tasks(job).Any(t => t.GetProperty("State").GetString() == "Succeeded")
                && FarmTestBed.Tasks(job).Any(t => t.GetProperty("State").GetString() != "Succeeded"), TimeSpan.FromSeconds(60));
        }
        first.Kill();

        using var second = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", env, "--slots", "encode-segment=1");
        using var api2 = new FarmApi(second.Url, FarmTestBed.Token);
        var done = await api2.WaitAsync(jobId, TimeSpan.FromMinutes(3), () => second.Log);

        done.GetProperty("Status").GetString().Should().Be("Success", second.Log);
        var reference = Inspect.Probe(_bed.RenderLocally(timeline, "reference"));
        var produced = Inspect.Probe(done.GetProperty("Videos")[0].GetProperty("OutputPath").GetString()!);
        produced.VideoFrames.Should().Be(reference.VideoFrames);
        produced.Duration.Should().BeApproximately(reference.Duration, 0.05);
        _bed.EachSegmentShouldBeRenderedOnce(done); // a segment finished before the kill is not run again
        var audio = FarmTestBed.Tasks(done, "encode-audio").Should().ContainSingle("the audio mix is rendered once, beside the segments").Subject;
        var assemble = FarmTestBed.Tasks(done, "assemble").Should().ContainSingle().Subject;
        DateTimeOffset At(string @event, System.Text.Json.JsonElement task) => FarmTestBed.History(done, @event)
            .Where(h => h.GetProperty("TaskId").GetString() == task.GetProperty("TaskId").GetString())
            .Select(h => DateTimeOffset.Parse(h.GetProperty("At").GetString()!)).Max();
        At("Started", assemble).Should().BeOnOrAfter(At("Succeeded", audio), "the assembly muxes the finished audio");
        Inspect.MeanVolume(done.GetProperty("Videos")[0].GetProperty("OutputPath").GetString()!).Should().BeGreaterThan(-40, "the clips' tones are heard");
    }

    [Fact]
    public async Task A_failure_caused_by_the_job_fails_that_job_and_never_takes_the_node_out()
    {
        using var node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", _bed.Environment("solo"));
        using var api = new FarmApi(node.Url, FarmTestBed.Token);
        // The output's directory is taken by a file after the job was accepted: writing the video fails, and it is
        // this job's doing. (A name the file system refuses is a 400 at submission: HardeningTests.)
        var bad = await api.SubmitAsync($$"""{"Timeline":{{_bed.Timeline(1, seconds: 1)}},"OutputMediaConfig":{"MediaURL":"blocked/out.mp4","Width":320,"Height":180} }""");
        Directory.CreateDirectory(_bed.Outputs);
        File.WriteAllText(Path.Combine(_bed.Outputs, "blocked"), "a file where the job's directory should be");
        var failed = await api.WaitAsync(bad, TimeSpan.FromMinutes(2), () => node.Log);

        failed.GetProperty("Status").GetString().Should().Be("Failed", node.Log);
        FarmTestBed.History(failed, "Retry").Should().HaveCount(2, "a job-caused failure is tried 3 times").And
            .OnlyContain(h => !h.GetProperty("Detail").GetString()!.Contains("fault of the node"));
        var (_, nodes) = await api.SendAsync(HttpMethod.Get, "admin/cluster");
        nodes.EnumerateArray().Single().GetProperty("DisabledKinds").GetArrayLength().Should().Be(0, "the job's failure is not the node's");
        using (var http = new HttpClient())
            ((int)(await http.GetAsync($"{node.Url}/readyz", TestContext.Current.CancellationToken)).StatusCode).Should().Be(200);

        var good = await api.SubmitAsync($$"""{"Timeline":{{_bed.Timeline(2, seconds: 1)}},"OutputMediaConfig":{"Width":320,"Height":180} }""");
        (await api.WaitAsync(good, TimeSpan.FromMinutes(2), () => node.Log)).GetProperty("Status").GetString().Should().Be("Success", "the next job runs on the same node");
    }

    [Fact]
    public async Task A_callback_due_when_the_node_dies_is_delivered_after_it_restarts()
    {
        using var hook = new WebhookReceiver(failFirst: int.MaxValue);
        var env = _bed.Environment("solo");
        env["RENDERFARM_ALLOWED_HOSTS"] = hook.HostPort; // NotifyAddress follows the outbound policy
        using var first = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", env);
        string jobId;
        using (var api = new FarmApi(first.Url, FarmTestBed.Token))
        {
            jobId = await api.SubmitAsync($$"""
                {"Timeline":{{_bed.Timeline(4, seconds: 1)}},"OutputMediaConfig":{"Width":320,"Height":180},
                 "UserData":"{\"NotifyAddress\":\"{{hook.Url}}\"}"}
                """);
            (await api.WaitAsync(jobId, TimeSpan.FromMinutes(2), () => first.Log)).GetProperty("Status").GetString().Should().Be("Success");
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (hook.Attempts == 0 && DateTime.UtcNow < deadline) await Task.Delay(50, TestContext.Current.CancellationToken);
        hook.Attempts.Should().BeGreaterThan(0, "the callback was tried and refused");
        using (var api = new FarmApi(first.Url, FarmTestBed.Token)) // the refusal is recorded before the node dies
            await api.WaitForAsync(jobId, job => FarmTestBed.History(job, "NotifyFailed").Any(), TimeSpan.FromSeconds(30));
        first.Kill();
        hook.FailFirst = 0; // the receiver works again

        using var second = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", env);
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (hook.Delivered == 0 && DateTime.UtcNow < deadline) await Task.Delay(100, TestContext.Current.CancellationToken);
        hook.Delivered.Should().Be(1, "the restarted node's job entity sends the callback that was still due:\n" + second.Log);
        JsonDocument.Parse(hook.LastBody!).RootElement.GetProperty("MessageBody").GetProperty("JobId").GetString().Should().Be(jobId);
        using var api2 = new FarmApi(second.Url, FarmTestBed.Token);
        var history = (await api2.JobAsync(jobId)).GetProperty("History").EnumerateArray().Select(h => h.GetProperty("Event").GetString()).ToList();
        history.Should().Contain("NotifyFailed").And.EndWith("Notified");
    }

    [Fact]
    public async Task A_voice_over_is_spoken_by_a_tts_task_before_the_video_is_cut_into_segments()
    {
        var env = _bed.Environment("solo");
        using var node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", env);
        var picture = _bed.Media.ColourImage("grey.png", "gray", 640, 360);
        var timeline = $$"""
            {"VideoTracks":[{"VideoTrackClips":[{"Type":"Image","MediaURL":"{{picture}}","Duration":2}]}],
             "AudioTracks":[{"MainTrack":true,"AudioTrackClips":[{"Type":"AI_TTS","Voice":"andy","Content":"The farm speaks first. Then it renders.",
               "Effects":[{"Type":"AI_ASR"}]}]}]}
            """;
        using var api = new FarmApi(node.Url, FarmTestBed.Token);
        var jobId = await api.SubmitAsync($$"""{"Timeline":{{timeline}},"OutputMediaConfig":{{FarmTestBed.Output}} }""");
        var done = await api.WaitAsync(jobId, TimeSpan.FromMinutes(2), () => node.Log);

        done.GetProperty("Status").GetString().Should().Be("Success", node.Log);
        var tts = FarmTestBed.Tasks(done, "tts").Should().ContainSingle().Subject;
        tts.GetProperty("State").GetString().Should().Be("Succeeded");
        var ttsDone = FarmTestBed.History(done, "Succeeded").Single(h => h.GetProperty("TaskId").GetString() == tts.GetProperty("TaskId").GetString());
        var planned = FarmTestBed.History(done, "Planned").Single();
        DateTimeOffset.Parse(planned.GetProperty("At").GetString()!).Should().BeOnOrAfter(DateTimeOffset.Parse(ttsDone.GetProperty("At").GetString()!),
            "segments are planned once the speech exists (its length sets the timeline's)");
        var reference = Inspect.Probe(_bed.RenderLocally(timeline, "reference"));
        var produced = Inspect.Probe(done.GetProperty("Videos")[0].GetProperty("OutputPath").GetString()!);
        produced.VideoFrames.Should().Be(reference.VideoFrames, "the voice-over (main track) sets the same length as a local render");
        Inspect.MeanVolume(done.GetProperty("Videos")[0].GetProperty("OutputPath").GetString()!).Should().BeGreaterThan(-40, "the voice is heard");
    }

    [Fact]
    public async Task Speech_is_recognised_by_an_asr_task_and_a_person_matted_by_a_matte_task_before_the_video_is_cut()
    {
        var env = _bed.Environment("solo");
        env["RENDERFARM_MATTING_FPS"] = "1"; // the node's matte engine reads it: 3 pictures looked at instead of 15
        using var node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu,gpu", env);
        node.Log.Should().Contain("gpu role without a usable GPU").And.Contain("person matting (matte tasks) runs on the CPU: CUDA is not available (",
            "a gpu node without a device says at start that its gpu kinds, matting among them, run on the CPU");

        var astronaut = Photos.Astronaut();
        var person = Path.Combine(_bed.Media.Directory, "person.mp4");
        Tool.Ffmpeg("-loop", "1", "-framerate", "25", "-i", astronaut, "-vf", "crop=496:248:8:0,format=yuv420p", "-t", "3",
            "-c:v", "libx264", "-preset", "ultrafast", person);
        var magenta = _bed.Media.ColourImage("magenta.png", "magenta", 496, 248);
        var speech = Path.Combine(_bed.Media.Directory, "speech.wav");
        Tool.Run("espeak-ng", "-v", "en-us+klatt2", "-s", "150", "-w", speech, "good morning everyone").Exit.Should().Be(0);
        var timeline = $$"""
            {"VideoTracks":[
               {"VideoTrackClips":[{"Type":"Image","MediaURL":"{{magenta}}","Duration":3}]},
               {"VideoTrackClips":[{"MediaURL":"{{person}}","Effects":[{"Type":"AI_RealMatting"}]}]}],
             "AudioTracks":[{"AudioTrackClips":[{"MediaURL":"{{speech}}","Effects":[{"Type":"AI_ASR","FontSize":24}]}]}]}
            """;
        using var api = new FarmApi(node.Url, FarmTestBed.Token);
        var jobId = await api.SubmitAsync($$"""{"Timeline":{{timeline}},"OutputMediaConfig":{"Width":496,"Height":248,"Fps":25} }""");
        var done = await api.WaitAsync(jobId, TimeSpan.FromMinutes(4), () => node.Log);
        done.GetProperty("Status").GetString().Should().Be("Success", node.Log);

        var planned = DateTimeOffset.Parse(FarmTestBed.History(done, "Planned").Single().GetProperty("At").GetString()!);
        foreach (var kind in new[] { "asr", "matte" })
        {
            var task = FarmTestBed.Tasks(done, kind).Should().ContainSingle($"one {kind} task for the one clip that needs it").Subject;
            task.GetProperty("State").GetString().Should().Be("Succeeded");
            var finished = FarmTestBed.History(done, "Succeeded").Single(h => h.GetProperty("TaskId").GetString() == task.GetProperty("TaskId").GetString());
            planned.Should().BeOnOrAfter(DateTimeOffset.Parse(finished.GetProperty("At").GetString()!), "{0} runs before the video is cut into segments", kind);
        }
        node.Log.Should().Contain("from 1 analysed pictures", "the clip is a still photo: of the 3 pictures RENDERFARM_MATTING_FPS=1 looks at, only the first changed anything, so the model runs once");

        var output = done.GetProperty("Videos")[0].GetProperty("OutputPath").GetString()!;
        var frame = Inspect.Frame(output, 1.5);
        var face = Inspect.Mean(frame, 195, 95, 40, 35); // cheeks and nose
        var wall = Inspect.Mean(frame, 460, 4, 24, 16);
        Distance(wall, (255, 0, 255)).Should().BeLessThan(40, $"the photo's wall is matted away and the magenta track below shows ({wall})");
        Distance(face, (255, 0, 255)).Should().BeGreaterThan(150, $"the person's face stays ({face})");

        var srt = Path.ChangeExtension(output, ".srt");
        File.Exists(srt).Should().BeTrue("a video with AI_ASR captions gets them beside it as SubRip");
        var cues = File.ReadAllText(srt);
        cues.Should().StartWith("1\n00:00:0");
        new[] { "good", "morning", "everyone" }.Should().Contain(word => cues.Contains(word), $"the recogniser hears some of the spoken words:\n{cues}");
    }

    private static double Distance((double R, double G, double B) a, (int R, int G, int B) b) =>
        Math.Sqrt(Math.Pow(a.R - b.R, 2) + Math.Pow(a.G - b.G, 2) + Math.Pow(a.B - b.B, 2));
}
