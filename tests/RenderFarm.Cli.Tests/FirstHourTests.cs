using FluentAssertions;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;
using Xunit;

namespace RenderFarm.Cli.Tests;

/// <summary>
/// A newcomer's first hour: the file `farm render` takes is the file `farm submit` takes, node refusals name the
/// setting to change, `farm validate` checks what `farm render` checks, and `farm help` helps.
/// </summary>
public sealed class FirstHourTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RenderFarm.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no RenderFarm.sln above {AppContext.BaseDirectory}");
    }

    private Task<FarmNodeProcess> NodeAsync(params string[] flags) =>
        FarmNodeProcess.StartAsync("first-hour", "gateway,cpu,gpu", new Dictionary<string, string>
        {
            ["RENDERFARM_DATA_DIR"] = Path.Combine(_dir.Path, "node"),
            ["RENDERFARM_OPERATOR_TOKEN"] = FarmProcess.Token,
            ["RENDERFARM_CACHE_DIR"] = Path.Combine(_dir.Path, "node-cache"),
            ["RENDERFARM_ALLOWED_ROOTS"] = "",
            ["RENDERFARM_OUTPUT_DIR"] = "",
        }, flags);

    private void Clip(string directory, string name, double seconds = 1)
    {
        Directory.CreateDirectory(directory);
        Tool.Ffmpeg("-f", "lavfi", "-i", $"testsrc2=s=160x120:r=25:d={seconds}", "-c:v", "libx264", "-pix_fmt", "yuv420p", Path.Combine(directory, name));
    }

    [Fact]
    public void Farm_help_prints_the_help_and_exits_0()
    {
        var help = FarmProcess.Run(_dir.Path, "help");
        help.ExitCode.Should().Be(0, help.Stderr);
        help.Stdout.Should().Contain("Usage:").And.Contain("render").And.Contain("submit");
        help.Stderr.Should().BeEmpty();

        var verb = FarmProcess.Run(_dir.Path, "help", "render");
        verb.ExitCode.Should().Be(0, verb.Stderr);
        verb.Stdout.Should().Contain("--output");
    }

    [Fact]
    public void Validate_refuses_a_MediaURL_outside_the_roots_with_exit_2_like_render()
    {
        File.WriteAllText(_dir.File("passwd.json"), """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"/etc/passwd"}]}]}""");
        var render = FarmProcess.Run(_dir.Path, "render", "passwd.json", "-o", "out.mp4", "-q");
        var validate = FarmProcess.Run(_dir.Path, "validate", "passwd.json");
        render.ExitCode.Should().Be(2, render.Stderr);
        validate.ExitCode.Should().Be(2, validate.Stderr);
        validate.Errors.Should().ContainSingle().Which.Should().Contain("outside the allowed media roots").And.Contain("RENDERFARM_ALLOWED_ROOTS");
        validate.Errors.Should().Equal(render.Errors);

        File.WriteAllText(_dir.File("missing.json"), """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"nowhere.mp4"}]}]}""");
        var missing = FarmProcess.Run(_dir.Path, "validate", "missing.json");
        missing.ExitCode.Should().Be(2);
        missing.Errors.Should().ContainSingle().Which.Should().Contain("'nowhere.mp4' was not found");
    }

    [Fact]
    public void An_unwritable_output_is_named_as_the_user_gave_it_by_render_and_validate()
    {
        Clip(_dir.Path, "a.mp4");
        File.WriteAllText(_dir.File("t.json"), """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4"}]}]}""");
        var target = Path.Combine(_dir.Path, "a.mp4", "out.mp4"); // its directory is a file: not writable, even for root
        foreach (var verb in new[] { "render", "validate" })
        {
            var result = FarmProcess.Run(_dir.Path, verb, "t.json", "-o", "a.mp4/out.mp4");
            result.ExitCode.Should().Be(1, $"{verb}: {result.Stderr}");
            result.Errors.Should().ContainSingle().Which.Should().Contain($"'{target}' cannot be written").And.NotContain(".partial-");
        }
        Directory.GetFiles(_dir.Path).Should().NotContain(f => f.Contains(".partial-"));
        var fine = FarmProcess.Run(_dir.Path, "validate", "t.json", "-o", "sub/dir/out.mp4");
        fine.ExitCode.Should().Be(0, fine.Stderr);
        Directory.Exists(_dir.File("sub")).Should().BeFalse("validate writes nothing");
    }

    [Fact]
    public async Task Submit_reads_MediaURLs_against_the_file_and_the_node_flags_name_themselves_in_refusals()
    {
        var project = Path.Combine(_dir.Path, "project");
        Clip(Path.Combine(project, "media"), "clip.mp4");
        Clip(Path.Combine(_dir.Path, "elsewhere"), "other.mp4");
        var outputs = Path.Combine(_dir.Path, "outputs");
        using var node = await NodeAsync("--media-root", project, "--output-dir", outputs, "--segment-seconds", "10");

        File.WriteAllText(Path.Combine(project, "job.json"),
            """{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"media/clip.mp4"}]}]},"OutputMediaConfig":{"MediaURL":"../renders/clip.mp4"}}""");
        var submitted = FarmProcess.Run(_dir.Path, "submit", "project/job.json", "--wait", "-q", "--gateway", node.Url);
        submitted.ExitCode.Should().Be(0, submitted.Stderr + node.Log);
        submitted.Stderr.Should().Contain("'renders/clip.mp4' under the node's output directory");
        var written = Path.Combine(outputs, "renders", "clip.mp4");
        submitted.Stdout.Trim().Split('\n')[^1].Should().Be(written);
        Inspect.Probe(written).VideoFrames.Should().Be(25);

        File.WriteAllText(Path.Combine(project, "outside.json"),
            """{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"../elsewhere/other.mp4"}]}]}}""");
        var refused = FarmProcess.Run(_dir.Path, "submit", "project/outside.json", "--gateway", node.Url);
        refused.ExitCode.Should().Be(2, refused.Stderr);
        refused.Errors.Should().ContainSingle().Which.Should().Contain("outside the allowed media roots")
            .And.Contain("RENDERFARM_ALLOWED_ROOTS").And.Contain("--media-root").And.NotContain(Path.Combine(_dir.Path, "node"));

        var badOutput = FarmProcess.Run(_dir.Path, "submit", "project/job.json", "-o", "/etc/x.mp4", "--gateway", node.Url);
        badOutput.ExitCode.Should().Be(2, badOutput.Stderr);
        badOutput.Errors.Should().ContainSingle().Which.Should().Contain("outside the output directory")
            .And.Contain("RENDERFARM_OUTPUT_DIR").And.Contain("--output-dir").And.NotContain(outputs);
        node.Stop(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_relative_media_root_is_refused_at_start_naming_the_flag_or_the_variable()
    {
        var data = Path.Combine(_dir.Path, "node");
        var flag = FarmProcess.Run(_dir.Path, "node", "--data", data, "--media-root", "media", "--urls", $"http://127.0.0.1:{FarmNodeProcess.FreePort()}");
        flag.ExitCode.Should().Be(2, flag.Stderr);
        flag.Errors.Should().ContainSingle().Which.Should().Contain("--media-root entry 'media' is not an absolute path");

        var variable = FarmProcess.Run(_dir.Path, new Dictionary<string, string> { ["RENDERFARM_ALLOWED_ROOTS"] = "/ok:media" },
            "node", "--data", data, "--urls", $"http://127.0.0.1:{FarmNodeProcess.FreePort()}");
        variable.ExitCode.Should().Be(2, variable.Stderr);
        variable.Errors.Should().ContainSingle().Which.Should().Contain("RENDERFARM_ALLOWED_ROOTS entry 'media' is not an absolute path");
        File.Exists(Path.Combine(data, "operator.token")).Should().BeFalse("a refused node leaves nothing behind");
    }

    [Fact]
    public async Task Submit_of_the_showcase_on_an_embedded_node_matches_render_of_it()
    {
        var root = RepositoryRoot();
        var media = Tool.Run("bash", Path.Combine(root, "scripts", "example-media.sh"));
        media.Exit.Should().Be(0, media.Stderr);
        var showcase = Path.Combine(root, "examples", "showcase.json");

        var local = _dir.File("render.mp4");
        var render = FarmProcess.Run(_dir.Path, "render", showcase, "-o", local, "-q", "--preset", "veryfast", "--segment-seconds", "10");
        render.ExitCode.Should().Be(0, render.Stderr);

        var outputs = Path.Combine(_dir.Path, "outputs");
        using var node = await NodeAsync("--media-root", Path.Combine(root, "examples"), "--output-dir", outputs, "--segment-seconds", "10");
        var submit = FarmProcess.Run(_dir.Path, "submit", showcase, "--wait", "-q", "--gateway", node.Url);
        submit.ExitCode.Should().Be(0, submit.Stderr + node.Log);
        var farmed = submit.Stdout.Trim().Split('\n')[^1];
        farmed.Should().StartWith(outputs + Path.DirectorySeparatorChar);

        var (a, b) = (Inspect.Probe(local), Inspect.Probe(farmed));
        b.VideoFrames.Should().Be(a.VideoFrames);
        (b.Width, b.Height).Should().Be((a.Width, a.Height));
        b.Duration.Should().BeApproximately(a.Duration, 0.1);
        b.HasAudio.Should().Be(a.HasAudio);
        var frames = a.VideoFrames;
        foreach (var index in new[] { 0, frames / 4, frames / 2, 3 * frames / 4, frames - 1 })
            Inspect.Psnr(Inspect.FrameAt(local, index), Inspect.FrameAt(farmed, index)).Should().BeGreaterThan(40, $"frame {index}");
        node.Stop(TimeSpan.FromSeconds(30));
        await Task.CompletedTask.WaitAsync(Ct);
    }
}
