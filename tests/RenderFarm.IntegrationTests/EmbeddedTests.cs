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
        var first = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", env, "--slots", "encode-segment=1");
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
        foreach (var segment in FarmTestBed.Tasks(done))
        {
            var id = segment.GetProperty("TaskId").GetString();
            FarmTestBed.History(done, "Succeeded").Count(h => h.GetProperty("TaskId").GetString() == id)
                .Should().Be(1, "a segment finished before the kill is not run again");
        }
        var audio = FarmTestBed.Tasks(done, "encode-audio").Should().ContainSingle("the audio mix is rendered once, beside the segments").Subject;
        var assemble = FarmTestBed.Tasks(done, "assemble").Should().ContainSingle().Subject;
        DateTimeOffset At(string @event, System.Text.Json.JsonElement task) => FarmTestBed.History(done, @event)
            .Where(h => h.GetProperty("TaskId").GetString() == task.GetProperty("TaskId").GetString())
            .Select(h => DateTimeOffset.Parse(h.GetProperty("At").GetString()!)).Max();
        At("Started", assemble).Should().BeOnOrAfter(At("Succeeded", audio), "the assembly muxes the finished audio");
        Inspect.MeanVolume(done.GetProperty("Videos")[0].GetProperty("OutputPath").GetString()!).Should().BeGreaterThan(-40, "the clips' tones are heard");
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
}
