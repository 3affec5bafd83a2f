using System.Text.Json;
using FluentAssertions;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Cli.Tests;

/// <summary>`farm iproduction FUNCTION INPUT`: a media-AI function run locally, with progress, exit 2 for bad input.</summary>
public sealed class IProductionCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Dictionary<string, string> _env;

    public IProductionCommandTests() => _env = new() { ["RENDERFARM_ALLOWED_ROOTS"] = _dir.Path };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AudioMixing_runs_locally_with_progress_and_prints_its_result()
    {
        MixingMedia.Voice(_dir.Path, ["Hello there.", "Goodbye now."], 1.5);
        MixingMedia.Music(_dir.Path, 8);
        var run = FarmProcess.Run(_dir.Path, _env, "iproduction", "AudioMixing", "voice.wav", "-o", "mix.wav", "--params", "{inputs:[{media:'music.wav',role:music}]}");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.StderrLines.Should().Contain(l => l.StartsWith("AudioMixing voice.wav: ") && l.EndsWith("%"), "progress lines when stderr is not a terminal")
            .And.Contain("AudioMixing voice.wav: 100%");
        var result = JsonDocument.Parse(run.Stdout).RootElement;
        result.GetProperty("Loudness").GetDouble().Should().BeApproximately(-16, 1);
        MixingMedia.Ebur128(_dir.File("mix.wav")).Integrated.Should().BeApproximately(-16, 1);
    }

    [Fact]
    public void Bad_input_is_exit_2_with_one_line_naming_the_field()
    {
        new TestMedia(_dir.Path).ColourVideo("picture.mp4", "red", 1, 160, 90);
        MixingMedia.Music(_dir.Path, 2);
        (string[] Args, string Error)[] cases =
        [
            (["AudioMixing", "picture.mp4"], "error: INPUT: has no audio stream"),
            (["AudioMixing", "music.wav", "--params", "{duck:99}"], "error: --params.duck: must be between 0.0 and 40.0 (got 99.0)"),
            (["Karaoke", "music.wav"], "error: FUNCTION: unknown function 'Karaoke'; supported: AudioMixing, AudioBeatDetection, MusicSegmentDetect, SlideSplit, CaptionExtraction, VideoDetext, Cover, VideoClip, VideoDelogo, VideoGreenScreenMatting, PortraitMatting, VideoH2V"),
            (["SlideSplit", "music.wav"], "error: INPUT: has no video stream (a video is needed, not a still image or a sound)"),
            (["VideoGreenScreenMatting", "picture.mp4", "--params", "{bgimage:'picture.mp4'}"], "error: --params.bgimage: is not an image (a still picture is needed: PNG, JPEG, ...)"),
            (["VideoGreenScreenMatting", "picture.mp4", "-o", "keyed.mp4"], "error: --output: VideoGreenScreenMatting writes .webm files; name one of those"),
            (["AudioMixing", "oss://bucket/a.wav"], "error: INPUT: 'oss://bucket/a.wav' is an OSS object; OSS needs a storage backend this farm does not have yet: give a local path under the media roots or an allowed http(s) URL"),
        ];
        foreach (var (args, error) in cases)
        {
            var run = FarmProcess.Run(_dir.Path, _env, ["iproduction", .. args]);
            run.ExitCode.Should().Be(2, string.Join(' ', args));
            run.Errors.Should().Equal([error], string.Join(' ', args));
        }
    }
}
