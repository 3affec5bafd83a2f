using FluentAssertions;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using Xunit;
using Rules = RenderFarm.Cluster.Lifecycle.JobLifecycle;

namespace RenderFarm.Cluster.Tests.Lifecycle;

/// <summary>Submission and the stages a video goes through: Queued -> Speech -> AiWork -> Render -> Assemble, or Queued -> Analyse.</summary>
public sealed class SubmitAndStageTests
{
    [Fact]
    public void A_submitted_job_is_queuing_with_its_videos()
    {
        var job = new LifecycleDriver();

        var decision = job.Submit(JobKind.Batch, "v1", "v2");

        decision.Events.Should().ContainSingle().Which.Should().BeOfType<JobAccepted>();
        decision.Reply.Should().Be(new SubmitReply(LifecycleDriver.JobId, Existing: false));
        decision.Stop.Should().BeEmpty();
        var state = job.State;
        state.Exists.Should().BeTrue();
        state.Ended.Should().BeFalse();
        state.Status.Should().Be(JobStatus.Queuing);
        state.Kind.Should().Be(JobKind.Batch);
        state.ClientToken.Should().Be("token-1");
        state.RequestJson.Should().Be("{\"Timeline\":{}}");
        state.CreateTime.Should().Be(LifecycleDriver.Start);
        state.ModifiedTime.Should().Be(LifecycleDriver.Start);
        state.CompleteTime.Should().BeNull();
        state.Progress.Should().Be(0);
        state.Videos.Keys.Should().Equal("v1", "v2");
        state.Videos.Values.Should().AllSatisfy(v =>
        {
            v.Status.Should().Be(JobStatus.Queuing);
            v.Stage.Should().Be(VideoStage.Queued);
            v.Progress.Should().Be(0);
        });
        job.Video("v2").Index.Should().Be(1);
        job.Video("v2").OutputPath.Should().Be("out/v2.mp4");
        state.Tasks.Should().BeEmpty();
        job.History.Should().Equal("Queuing");
        state.History[0].Detail.Should().Be("accepted with 2 video(s)");
        job.ToPrepare.Should().Equal(("v1", VideoStage.Speech), ("v2", VideoStage.Speech));
        job.Ready.Should().BeEmpty();
        Rules.IsSettled(state).Should().BeFalse();
    }

    [Fact]
    public void Submitting_again_under_the_same_id_answers_Existing_and_emits_nothing()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Single, "v1");
        var before = job.State;

        var decision = job.Do(new SubmitJob(LifecycleDriver.JobId, JobKind.Single, "token-2", "{}", null, null, [new VideoSpec("other", 0, "{}", "out/other.mp4")]));

        decision.Events.Should().BeEmpty();
        decision.Reply.Should().Be(new SubmitReply(LifecycleDriver.JobId, Existing: true));
        job.State.Should().BeSameAs(before);
        job.State.Videos.Keys.Should().Equal("v1");
        job.State.ClientToken.Should().Be("token-1");
    }

    [Fact]
    public void A_job_without_videos_is_not_accepted()
    {
        var lifecycle = new Rules(new LifecycleOptions());

        var submit = () => lifecycle.Decide(JobState.Empty("job-x"), new SubmitJob("job-x", JobKind.Single, null, "{}", null, null, []), LifecycleDriver.Start);

        submit.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_render_video_goes_through_speech_ai_work_render_and_assemble_to_success()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Single, "v1");
        job.ToPrepare.Should().Equal(("v1", VideoStage.Speech));

        // Speech with nothing to say: the video moves on to its AI work at once.
        var speech = job.Prepare("v1", VideoStage.Speech);
        speech.Events.Select(e => e.GetType()).Should().Equal(typeof(StagePlanned), typeof(JobProcessing));
        job.State.Status.Should().Be(JobStatus.Processing);
        job.Video("v1").Stage.Should().Be(VideoStage.Speech);
        job.Video("v1").Status.Should().Be(JobStatus.Processing);
        job.ToPrepare.Should().Equal(("v1", VideoStage.AiWork));

        // AI work: one transcript; the render waits for it.
        job.Prepare("v1", VideoStage.AiWork, Specs.Ai("v1/asr", TaskKind.Asr, "clips/interview.mp4"));
        job.State.History[^1].Should().Match<HistoryLine>(h => h.Event == "AiWork" && h.Detail == "asr clips/interview.mp4" && h.VideoId == "v1");
        job.ToPrepare.Should().BeEmpty();
        job.Ready.Should().Equal("v1/asr");
        job.Run("v1/asr");
        job.ToPrepare.Should().Equal(("v1", VideoStage.Render));

        // Render: two segments and the audio.
        job.PrepareRender("v1", 100, Specs.Segment("v1/seg-0", 60), Specs.Segment("v1/seg-1", 40), Specs.Audio("v1/audio"));
        var video = job.Video("v1");
        video.Stage.Should().Be(VideoStage.Render);
        video.TotalFrames.Should().Be(100);
        video.Segments.Should().Be(2);
        video.DurationSeconds.Should().Be(4.0);
        job.State.History[^1].Should().Match<HistoryLine>(h => h.Event == "Planned" && h.Detail == "2 segment(s), 100 frames");
        job.TaskOf("v1/seg-0").Should().Match<FarmTask>(t => t.Kind == TaskKind.EncodeSegment && t.Frames == 60 && t.Stage == VideoStage.Render
            && t.State == TaskState.Pending && t.Attempt == 1 && t.JobFailures == 0 && t.VideoId == "v1" && t.ArtifactKey == "seg-v1/seg-0");
        job.TaskOf("v1/seg-1").Frames.Should().Be(40);
        job.TaskOf("v1/audio").Kind.Should().Be(TaskKind.EncodeAudio);
        job.Ready.Should().BeEquivalentTo("v1/seg-0", "v1/seg-1", "v1/audio");

        // Progress follows the segments' frames (segments carry 90%).
        job.Run("v1/seg-0");
        job.Video("v1").DoneFrames.Should().Be(60);
        job.Video("v1").Progress.Should().Be(54);
        job.State.Progress.Should().Be(54);
        job.Run("v1/seg-1");
        job.State.Progress.Should().Be(90);
        job.ToPrepare.Should().BeEmpty("the audio is still to do");
        job.Run("v1/audio");
        job.State.Progress.Should().Be(90);
        job.ToPrepare.Should().Equal(("v1", VideoStage.Assemble));

        // Assemble: its success finishes the video and the job.
        job.Prepare("v1", VideoStage.Assemble, Specs.Assemble("v1/mp4"));
        job.State.History[^1].Event.Should().Be("Assembling");
        job.Claim("v1/mp4");
        var done = job.Succeed("v1/mp4");

        done.Events.Select(e => e.GetType()).Should().Equal(typeof(TaskSucceeded), typeof(VideoSucceeded), typeof(JobFinished));
        done.Events.OfType<JobFinished>().Single().Status.Should().Be(JobStatus.Success);
        job.State.Status.Should().Be(JobStatus.Success);
        job.State.Ended.Should().BeTrue();
        job.State.Progress.Should().Be(100);
        job.State.CompleteTime.Should().Be(job.Now);
        job.State.Code.Should().BeNull();
        job.Video("v1").Status.Should().Be(JobStatus.Success);
        job.Video("v1").Progress.Should().Be(100);
        job.Video("v1").DoneFrames.Should().Be(100);
        job.State.Tasks.Values.Should().OnlyContain(t => t.State == TaskState.Succeeded);
        job.History.Should().ContainInOrder("Queuing", "Processing", "AiWork", "Planned", "Started", "Succeeded", "Assembling", "Success");
        job.State.History[^2].Should().Match<HistoryLine>(h => h.Event == "Success" && h.VideoId == "v1" && h.Detail == "out/v1.mp4");
        job.State.History[^1].Should().Match<HistoryLine>(h => h.Event == "Success" && h.VideoId == null);
        job.Journal.OfType<JobProcessing>().Should().ContainSingle("the job starts processing once");
        job.History.Count(h => h == "Processing").Should().Be(1);
        job.ToPrepare.Should().BeEmpty();
        job.Ready.Should().BeEmpty();
        Rules.IsSettled(job.State).Should().BeTrue();
    }

    [Fact]
    public void The_stages_of_a_render_video_follow_in_order_and_a_media_analysis_has_one()
    {
        var render = new LifecycleDriver();
        render.Submit(JobKind.Single, "v1");
        VideoStage? Next(LifecycleDriver job, VideoStage stage) => Rules.NextStage(job.State, job.Video("v1") with { Stage = stage });

        Next(render, VideoStage.Queued).Should().Be(VideoStage.Speech);
        Next(render, VideoStage.Speech).Should().Be(VideoStage.AiWork);
        Next(render, VideoStage.AiWork).Should().Be(VideoStage.Render);
        Next(render, VideoStage.Render).Should().Be(VideoStage.Assemble);
        Next(render, VideoStage.Assemble).Should().BeNull();

        var analysis = new LifecycleDriver();
        analysis.Submit(JobKind.MediaAnalysis, "v1");
        Next(analysis, VideoStage.Queued).Should().Be(VideoStage.Analyse);
        Next(analysis, VideoStage.Analyse).Should().BeNull();
    }

    [Fact]
    public void A_media_analysis_job_analyses_its_medium_and_succeeds()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.MediaAnalysis, "m1");
        job.ToPrepare.Should().Equal(("m1", VideoStage.Analyse));

        job.Prepare("m1", VideoStage.Analyse, Specs.Analyse("m1/analyse"));
        job.State.Status.Should().Be(JobStatus.Processing);
        job.Video("m1").Stage.Should().Be(VideoStage.Analyse);
        job.History.Should().Equal("Queuing", "Analysing", "Processing");
        job.ToPrepare.Should().BeEmpty();
        job.Ready.Should().Equal("m1/analyse");

        var done = job.Run("m1/analyse");

        done.Events.Select(e => e.GetType()).Should().Equal(typeof(TaskSucceeded), typeof(VideoSucceeded), typeof(JobFinished));
        job.State.Status.Should().Be(JobStatus.Success);
        job.State.Progress.Should().Be(100);
        job.Video("m1").Status.Should().Be(JobStatus.Success);
        job.ToPrepare.Should().BeEmpty("an analysis has no stage after Analyse");
    }

    [Fact]
    public void A_failed_analysis_fails_the_job_with_AnalysisFailed()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.MediaAnalysis, "m1");
        job.Prepare("m1", VideoStage.Analyse, Specs.Analyse("m1/analyse"));

        job.FailForGood("m1/analyse", "no decodable stream");

        job.Video("m1").Should().Match<VideoState>(v => v.Status == JobStatus.Failed && v.Code == "AnalysisFailed" && v.Message == "no decodable stream");
        job.State.Status.Should().Be(JobStatus.Failed);
        job.State.Code.Should().Be("AnalysisFailed");
    }

    [Fact]
    public void A_duplicate_or_late_stage_preparation_is_ignored()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Single, "v1");
        job.Prepare("v1", VideoStage.Speech);
        job.Prepare("v1", VideoStage.AiWork, Specs.Ai("v1/tts", TaskKind.Tts, "clips/a.txt"));
        var before = job.State;

        // Speech and AI work again (a preparation delivered twice), the render before the AI work is done,
        // a stage out of order and a video the job does not have: all ignored.
        job.Prepare("v1", VideoStage.Speech, Specs.Ai("v1/tts-2", TaskKind.Tts, "clips/b.txt")).Events.Should().BeEmpty();
        job.Prepare("v1", VideoStage.AiWork, Specs.Ai("v1/tts-3", TaskKind.Tts, "clips/c.txt")).Events.Should().BeEmpty();
        job.PrepareRender("v1", 50, Specs.Segment("v1/seg-0", 50)).Events.Should().BeEmpty();
        job.Prepare("v1", VideoStage.Assemble, Specs.Assemble("v1/mp4")).Events.Should().BeEmpty();
        job.Prepare("v9", VideoStage.Speech).Events.Should().BeEmpty();
        job.FailPreparation("v1", VideoStage.Speech, "InvalidParameter", "late").Events.Should().BeEmpty();

        job.State.Should().BeSameAs(before);
        job.State.Tasks.Keys.Should().Equal("v1/tts");

        // Once the AI work is done, the render is prepared once; a second delivery of it is ignored.
        job.Run("v1/tts");
        job.PrepareRender("v1", 50, Specs.Segment("v1/seg-0", 50)).Events.Should().ContainSingle().Which.Should().BeOfType<StagePlanned>();
        job.PrepareRender("v1", 80, Specs.Segment("v1/seg-0", 50), Specs.Segment("v1/seg-x", 30)).Events.Should().BeEmpty();
        job.State.Tasks.Keys.Should().BeEquivalentTo("v1/tts", "v1/seg-0");
        job.Video("v1").TotalFrames.Should().Be(50);
    }

    [Fact]
    public void A_failed_stage_preparation_fails_the_video_and_then_the_job_with_its_code()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Single, "v1");
        job.SkipAiWork("v1");

        var decision = job.FailPreparation("v1", VideoStage.Render, "InvalidMedia", "cannot probe clips/a.mp4");

        decision.Events.Select(e => e.GetType()).Should().Equal(typeof(VideoFailed), typeof(JobFinished));
        job.Video("v1").Should().Match<VideoState>(v => v.Status == JobStatus.Failed && v.Code == "InvalidMedia" && v.Message == "cannot probe clips/a.mp4");
        job.State.Status.Should().Be(JobStatus.Failed);
        job.State.Code.Should().Be("InvalidMedia");
        job.State.Message.Should().Be("cannot probe clips/a.mp4");
        job.State.CompleteTime.Should().Be(job.Now);
        job.History.TakeLast(2).Should().Equal("Failed", "Failed");
        job.State.History[^2].VideoId.Should().Be("v1");
        job.State.History[^1].Detail.Should().Be("cannot probe clips/a.mp4");
        job.ToPrepare.Should().BeEmpty();
        // Anything that arrives for the ended job is ignored.
        job.PrepareRender("v1", 10, Specs.Segment("v1/seg-0", 10)).Events.Should().BeEmpty();
        job.FailPreparation("v1", VideoStage.Render, "InvalidMedia", "again").Events.Should().BeEmpty();
    }

    [Fact]
    public void A_preparation_failing_before_anything_ran_still_ends_the_job_failed()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Single, "v1");

        job.FailPreparation("v1", VideoStage.Speech, "InvalidParameter", "no such voice");

        job.State.Status.Should().Be(JobStatus.Failed);
        job.State.Code.Should().Be("InvalidParameter");
        job.Video("v1").Status.Should().Be(JobStatus.Failed);
        job.History[^1].Should().Be("Failed");
    }

    [Fact]
    public void Planning_an_ai_stage_names_each_task_and_its_clip_in_the_history()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Single, "v1");

        job.Prepare("v1", VideoStage.Speech, Specs.Ai("v1/tts-0", TaskKind.Tts, "a.txt"), Specs.Ai("v1/tts-1", TaskKind.Tts, "b.txt"),
            new TaskSpec("v1/odd", TaskKind.Matte, "not json", "k", 0));

        job.State.History[^2].Should().Match<HistoryLine>(h => h.Event == "AiWork" && h.Detail == "tts a.txt, tts b.txt, matte v1/odd");
        job.State.Tasks.Values.Should().OnlyContain(t => t.Stage == VideoStage.Speech && t.State == TaskState.Pending);
        job.Ready.Should().HaveCount(3);
        job.ToPrepare.Should().BeEmpty();
    }
}
