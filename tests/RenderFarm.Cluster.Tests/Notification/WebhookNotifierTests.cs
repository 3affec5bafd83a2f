using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Notification;
using RenderFarm.Core.Json;
using RenderFarm.Core.Timelines;
using RenderFarm.Media.Outbound;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Cluster.Tests.Notification;

/// <summary>NotifyAddress under the outbound policy: checked at submission, never redirected inside, timed out.</summary>
public sealed class WebhookNotifierTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _store?.Dispose();
        _dir.Dispose();
    }

    private RenderFarm.Cluster.ReadModel.ReadModelStore? _store;

    /// <summary>A submission whose media (a.mp4) exists in the allowed root and whose outputs are owned in a SQLite read model.</summary>
    private async Task<JobSubmission> Submission(InProcessJobs jobs, OutboundPolicy policy)
    {
        File.WriteAllBytes(_dir.File("a.mp4"), [0]);
        _store ??= RenderFarm.Cluster.ReadModel.ReadModelStore.Sqlite(_dir.File("farm.db"));
        await _store.InitializeAsync(Ct);
        var media = new MediaAdmission(new RenderFarm.Media.Sources.MediaSourceResolver(new RenderFarm.Media.Sources.MediaSourcePolicy { AllowedRoots = [_dir.Path] }), _dir.Path);
        return new JobSubmission(jobs, new OutputLocations(_dir.File("out")), TimelineLimits.Default, media, _store, policy);
    }

    private static OutboundPolicy Allowing(params string[] hosts) => new() { AllowedHosts = hosts };

    private static string Request(string notifyAddress) =>
        $$"""{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}]},"UserData":"{\"NotifyAddress\":\"{{notifyAddress}}\"}"}""";

    private static JobState Ended(string notifyAddress) =>
        JobState.Empty("job-1") with { Status = Model.JobStatus.Success, NotifyAddress = notifyAddress };

    private static HostResolver Dns(string address) => (_, _) => Task.FromResult(new[] { IPAddress.Parse(address) });

    [Fact]
    public async Task A_NotifyAddress_whose_host_is_not_allowed_is_refused_at_submission_and_never_called()
    {
        using var hook = new RecordingListener();
        var jobs = new InProcessJobs();
        var submission = await Submission(jobs, Allowing("cdn.example.com"));

        var act = () => submission.SubmitSingleAsync(Request(hook.Url), Ct);

        var error = (await act.Should().ThrowAsync<RequestException>()).Which;
        error.Path.Should().Be("UserData.NotifyAddress");
        error.Reason.Should().Be($"'http://{hook.HostPort}' has host '{hook.HostPort}', not in the allowed hosts");
        jobs.Submitted.Should().BeEmpty("nothing is stored");
        hook.Hits.Should().Be(0);
    }

    [Fact]
    public async Task A_NotifyAddress_on_an_allowed_host_is_stored_and_called()
    {
        using var hook = new RecordingListener();
        var policy = Allowing(hook.HostPort);
        var jobs = new InProcessJobs();
        var submission = await Submission(jobs, policy);
        using var notifier = new WebhookNotifier(policy);

        await submission.SubmitSingleAsync(Request(hook.Url), Ct);
        var outcome = await notifier.NotifyAsync(Ended(jobs.Submitted.Single().NotifyAddress!), Ct);

        outcome.Delivered.Should().BeTrue(outcome.Error);
        hook.Hits.Should().Be(1);
    }

    [Fact]
    public async Task Credentials_in_a_NotifyAddress_are_refused_and_never_shown()
    {
        var submission = await Submission(new InProcessJobs(), Allowing("hooks.example.com"));

        var act = () => submission.SubmitSingleAsync(Request("https://user:s3cret@hooks.example.com/cb"), Ct);

        var error = (await act.Should().ThrowAsync<RequestException>()).Which;
        (error.Path, error.Reason).Should().Be(("UserData.NotifyAddress", "'https://hooks.example.com' contains credentials (user@host), which are not accepted"));
    }

    [Theory]
    [InlineData("inside")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public async Task A_redirect_is_not_followed_so_an_internal_target_is_never_called(string target)
    {
        using var inside = new RecordingListener();
        using var hook = new RecordingListener { Answer = (307, target == "inside" ? inside.Url : target) };
        using var notifier = new WebhookNotifier(Allowing(hook.HostPort));

        var outcome = await notifier.NotifyAsync(Ended(hook.Url), Ct);

        outcome.Delivered.Should().BeFalse();
        outcome.Error.Should().Be($"{hook.HostPort}: HTTP 307 (redirects are not followed)");
        hook.Hits.Should().Be(1);
        inside.Hits.Should().Be(0);
    }

    [Fact]
    public async Task A_host_name_that_resolves_to_loopback_is_refused_unless_private_addresses_are_allowed()
    {
        using var hook = new RecordingListener(anyHostName: true);
        var address = $"http://hooks.test:{hook.Port}/hook";
        var policy = Allowing($"hooks.test:{hook.Port}");
        using var notifier = new WebhookNotifier(policy, Dns("127.0.0.1"));
        using var allowed = new WebhookNotifier(policy with { AllowPrivateAddresses = true }, Dns("127.0.0.1"));

        var refused = await notifier.NotifyAsync(Ended(address), Ct);

        refused.Delivered.Should().BeFalse();
        refused.Error.Should().Be($"hooks.test:{hook.Port}: refused: host 'hooks.test' resolves to 127.0.0.1, a loopback address (see RENDERFARM_ALLOW_PRIVATE_HOSTS)");
        hook.Hits.Should().Be(0);
        (await allowed.NotifyAsync(Ended(address), Ct)).Delivered.Should().BeTrue();
        hook.Hits.Should().Be(1);
    }

    [Fact]
    public async Task A_callback_that_never_answers_times_out()
    {
        // Connections complete in the kernel backlog; nobody ever reads or answers them.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var host = $"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        using var notifier = new WebhookNotifier(Allowing(host) with { WebhookTimeout = TimeSpan.FromMilliseconds(500) });
        var clock = Stopwatch.StartNew();

        var outcome = await notifier.NotifyAsync(Ended($"http://{host}/hook"), Ct);

        (outcome.Delivered, outcome.Error).Should().Be((false, $"{host}: no answer within 0.5 s"));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
    }
}
