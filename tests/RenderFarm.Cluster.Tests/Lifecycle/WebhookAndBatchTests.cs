using FluentAssertions;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using Xunit;
using Rules = RenderFarm.Cluster.Lifecycle.JobLifecycle;

namespace RenderFarm.Cluster.Tests.Lifecycle;

/// <summary>The completion callback, and batches whose videos end one by one.</summary>
public sealed class WebhookAndBatchTests
{
    private const string Id = LifecycleDriver.JobId;

    /// <summary>A job that ends at once: its only video's first preparation fails.</summary>
    private static LifecycleDriver FinishedJob(string? notify)
    {
        var job = new LifecycleDriver();
        job.SubmitNotifying(JobKind.Single, notify, "v1");
        job.FailPreparation("v1", VideoStage.Speech, "InvalidParameter", "no such voice");
        job.State.Ended.Should().BeTrue();
        return job;
    }

    [Fact]
    public void A_finished_job_with_a_notify_address_is_not_settled_until_its_callback_is_delivered()
    {
        var job = FinishedJob(LifecycleDriver.Notify);
        job.State.NotifyAddress.Should().Be(LifecycleDriver.Notify);
        job.State.Webhook.Should().Be(new WebhookState(WebhookStatus.Pending, 0, null, null));
        Rules.WebhookDue(job.State, job.Now).Should().BeTrue();
        Rules.IsSettled(job.State).Should().BeFalse();

        var decision = job.Do(new WebhookOutcome(Id, Delivered: true, null));

        decision.Events.Should().ContainSingle().Which.Should().Be(new WebhookAttempted(true, null, null, false, job.Now));
        job.State.Webhook.Should().Match<WebhookState>(w => w.Status == WebhookStatus.Delivered && w.Attempts == 1 && w.NextAt == null);
        job.State.History[^1].Should().Match<HistoryLine>(h => h.Event == "Notified" && h.Detail == LifecycleDriver.Notify);
        Rules.WebhookDue(job.State, job.Now).Should().BeFalse();
        Rules.IsSettled(job.State).Should().BeTrue();
        job.Do(new WebhookOutcome(Id, Delivered: true, null)).Events.Should().BeEmpty("a delivered callback is not tried again");
    }

    [Fact]
    public void A_failed_callback_is_tried_again_after_each_delay_and_abandoned_after_the_last()
    {
        var job = FinishedJob(LifecycleDriver.Notify);
        var delays = job.Options.WebhookDelays;
        delays.Should().Equal(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(60));

        for (var i = 0; i < delays.Count; i++)
        {
            Rules.WebhookDue(job.State, job.Now).Should().BeTrue();
            var failed = job.Do(new WebhookOutcome(Id, Delivered: false, $"HTTP 50{i}"));

            failed.Events.Should().ContainSingle().Which.Should().Be(new WebhookAttempted(false, $"HTTP 50{i}", job.Now + delays[i], false, job.Now));
            job.State.Webhook.Should().Be(new WebhookState(WebhookStatus.Pending, i + 1, job.Now + delays[i], $"HTTP 50{i}"));
            job.State.History[^1].Should().Match<HistoryLine>(h => h.Event == "NotifyFailed" && h.Detail == $"HTTP 50{i}");
            Rules.IsSettled(job.State).Should().BeFalse();
            job.Wait(delays[i] - TimeSpan.FromMilliseconds(1));
            Rules.WebhookDue(job.State, job.Now).Should().BeFalse("the next try waits {0}", delays[i]);
            job.Wait(TimeSpan.FromMilliseconds(1));
        }

        var last = job.Do(new WebhookOutcome(Id, Delivered: false, "connection refused"));

        last.Events.Should().ContainSingle().Which.Should().Be(new WebhookAttempted(false, "connection refused", null, true, job.Now));
        job.State.Webhook.Should().Be(new WebhookState(WebhookStatus.Abandoned, delays.Count + 1, null, "connection refused"));
        job.State.History[^1].Should().Match<HistoryLine>(h => h.Event == "NotifyFailed" && h.Detail == "connection refused; giving up");
        Rules.WebhookDue(job.State, job.Now).Should().BeFalse();
        Rules.IsSettled(job.State).Should().BeTrue();
        job.Do(new WebhookOutcome(Id, Delivered: true, null)).Events.Should().BeEmpty("an abandoned callback stays abandoned");
    }

    [Fact]
    public void A_job_without_a_notify_address_is_settled_when_it_ends()
    {
        var job = new LifecycleDriver();
        job.Submit(JobKind.Single, "v1");
        Rules.IsSettled(job.State).Should().BeFalse("it has not ended");
        job.Do(new WebhookOutcome(Id, Delivered: true, null)).Events.Should().BeEmpty();

        job.FailPreparation("v1", VideoStage.Speech, "InvalidParameter", "no such voice");

        job.State.Webhook.Status.Should().Be(WebhookStatus.None);
        Rules.WebhookDue(job.State, job.Now).Should().BeFalse();
        Rules.IsSettled(job.State).Should().BeTrue();
        job.Do(new WebhookOutcome(Id, Delivered: false, "x")).Events.Should().BeEmpty();
    }

    [Fact]
    public void A_callback_outcome_before_the_job_ends_is_ignored()
    {
        var job = new LifecycleDriver();
        job.SubmitNotifying(JobKind.Single, LifecycleDriver.Notify, "v1");

        job.Do(new WebhookOutcome(Id, Delivered: true, null)).Events.Should().BeEmpty();

        job.State.Webhook.Status.Should().Be(WebhookStatus.None);
        Rules.WebhookDue(job.State, job.Now).Should().BeFalse();
    }

    [Fact]
    public void An_operator_retry_clears_the_callback_and_the_job_calls_back_again_when_it_ends_again()
    {
        var job = FinishedJob(LifecycleDriver.Notify);
        job.Do(new WebhookOutcome(Id, Delivered: true, null));

        job.Do(new RetryJob(Id));
        job.State.Webhook.Should().Be(new WebhookState(WebhookStatus.None, 0, null, null));
        Rules.WebhookDue(job.State, job.Now).Should().BeFalse();

        job.FailPreparation("v1", VideoStage.Speech, "InvalidParameter", "still no such voice");
        job.State.Webhook.Should().Be(new WebhookState(WebhookStatus.Pending, 0, null, null));
        Rules.WebhookDue(job.State, job.Now).Should().BeTrue();
    }

    [Fact]
    public void In_a_batch_a_failed_video_does_not_stop_the_others_and_the_job_fails_once_all_ended()
    {
        var job = new LifecycleDriver();
        job.SubmitNotifying(JobKind.Batch, LifecycleDriver.Notify, "v1", "v2", "v3");
        foreach (var v in new[] { "v1", "v2", "v3" }) job.PlanRender(v);

        job.Run("v2/seg-0");
        job.FailForGood("v1/seg-1", "font missing");

        job.Video("v1").Should().Match<VideoState>(v => v.Status == JobStatus.Failed && v.Code == "RenderFailed");
        job.State.Status.Should().Be(JobStatus.Processing, "v2 and v3 are still at work");
        job.State.Ended.Should().BeFalse();
        job.State.Webhook.Status.Should().Be(WebhookStatus.None);
        job.Ready.Should().NotContain(t => t.StartsWith("v1/", StringComparison.Ordinal)).And.Contain(new[] { "v2/seg-1", "v3/seg-0" });
        job.State.Progress.Should().Be(Math.Round((0 + 54 + 0) / 3.0, 1));

        foreach (var t in new[] { "v2/seg-1", "v2/audio" }) job.Run(t);
        job.Prepare("v2", VideoStage.Assemble, Specs.Assemble("v2/mp4"));
        job.Run("v2/mp4");
        job.Video("v2").Status.Should().Be(JobStatus.Success);
        job.State.Status.Should().Be(JobStatus.Processing, "v3 is still at work");
        job.ToPrepare.Should().BeEmpty();

        foreach (var t in new[] { "v3/seg-0", "v3/seg-1", "v3/audio" }) job.Run(t);
        job.ToPrepare.Should().Equal(("v3", VideoStage.Assemble));
        job.Prepare("v3", VideoStage.Assemble, Specs.Assemble("v3/mp4"));
        job.Claim("v3/mp4");
        var last = job.Succeed("v3/mp4");

        last.Events.Select(e => e.GetType()).Should().Equal(typeof(TaskSucceeded), typeof(VideoSucceeded), typeof(JobFinished));
        last.Events[^1].Should().Be(new JobFinished(JobStatus.Failed, "RenderFailed", "font missing", job.Now));
        job.State.Should().Match<JobState>(s => s.Status == JobStatus.Failed && s.Code == "RenderFailed" && s.Message == "font missing");
        job.State.Videos.Values.Select(v => v.Status).Should().Equal(JobStatus.Failed, JobStatus.Success, JobStatus.Success);
        job.State.Progress.Should().Be(Math.Round((0 + 100 + 100) / 3.0, 1), "v1 rendered none of its frames");
        job.Journal.OfType<JobFinished>().Should().ContainSingle();
        job.State.Webhook.Status.Should().Be(WebhookStatus.Pending);
    }

    [Fact]
    public void A_batch_succeeds_when_every_video_succeeds_and_reports_the_first_failed_video_otherwise()
    {
        var ok = new LifecycleDriver();
        ok.Submit(JobKind.Batch, "a", "b");
        foreach (var v in new[] { "a", "b" })
        {
            ok.Prepare(v, VideoStage.Speech);
            ok.Prepare(v, VideoStage.AiWork);
            ok.PrepareRender(v, 25, Specs.Segment($"{v}/seg", 25));
        }
        ok.Run("a/seg");
        ok.Prepare("a", VideoStage.Assemble, Specs.Assemble("a/mp4"));
        ok.Run("a/mp4");
        ok.State.Status.Should().Be(JobStatus.Processing);
        ok.State.Progress.Should().Be(50);
        ok.Run("b/seg");
        ok.Prepare("b", VideoStage.Assemble, Specs.Assemble("b/mp4"));
        ok.Run("b/mp4");
        ok.State.Status.Should().Be(JobStatus.Success);

        var bad = new LifecycleDriver();
        bad.Submit(JobKind.Batch, "a", "b");
        bad.FailPreparation("b", VideoStage.Speech, "InvalidParameter", "b is bad");
        bad.State.Status.Should().Be(JobStatus.Processing);
        bad.FailPreparation("a", VideoStage.Speech, "InvalidMedia", "a is bad");
        bad.State.Should().Match<JobState>(s => s.Status == JobStatus.Failed && s.Code == "InvalidMedia" && s.Message == "a is bad");
    }
}
