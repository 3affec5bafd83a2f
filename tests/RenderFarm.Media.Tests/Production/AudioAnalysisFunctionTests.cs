using RenderFarm.Media.Ai;
using FluentAssertions;
using RenderFarm.Media.AudioAnalysis;
using RenderFarm.Media.Production;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Audio;
using Xunit;

namespace RenderFarm.Media.Tests.Production;

/// <summary>
/// AudioBeatDetection and MusicSegmentDetect as functions of the registry (the engines' own accuracy is
/// tested in AudioAnalysis): a file in, the Result and the output files out, with JobParams as IMS sends them.
/// </summary>
public sealed class AudioAnalysisFunctionTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ProductionFunctions _functions = ProductionCatalog.Create(AiEngines.None, Path.Combine(Path.GetTempPath(), "renderfarm-test-probe"));

    public void Dispose() => _dir.Dispose();

    private Task<System.Text.Json.Nodes.JsonObject> Run(string function, string input, string jobParams, string output)
    {
        var f = _functions.Find(function);
        return ProductionRunner.RunAsync(f, ProductionFunctions.ParseParams(f, jobParams), input, new Dictionary<string, string>(), _dir.File(output),
            _dir.File("work"), new Progress<double>(), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AudioBeatDetection_gives_the_beats_and_tempo_and_a_click_track_over_the_music()
    {
        var track = SyntheticMusic.Beats(22050, 12, seed: 3, (0, 120));
        var music = _dir.File("beats.wav");
        WavFile.Write(music, track.Samples, track.SampleRate);
        var result = await Run("AudioBeatDetection", music, "{click:true}", "beats.json");

        result["Bpm"]!.GetValue<double>().Should().BeApproximately(120, 2.4);
        BeatScore.FMeasure(result["Beats"]!.AsArray().Select(b => b!.GetValue<double>()).ToList(), track.Beats).Should().BeGreaterThanOrEqualTo(0.9);
        result["Click"]!.GetValue<string>().Should().Be("beats-click.m4a");
        Inspect.Probe(_dir.File("beats-click.m4a")).Duration.Should().BeApproximately(12, 0.1);
        File.ReadAllText(_dir.File("beats.json")).Should().Contain("\"Bpm\"");
    }

    [Fact]
    public async Task MusicSegmentDetect_with_all_returns_every_chorus_of_a_song()
    {
        var song = SyntheticMusic.Song(8000, 120, seed: 5);
        var path = _dir.File("song.wav");
        WavFile.Write(path, song.Samples, song.SampleRate);
        static double Inside(System.Text.Json.Nodes.JsonNode s, SongSection c) =>
            Math.Max(0, Math.Min(s["End"]!.GetValue<double>(), c.End) - Math.Max(s["Start"]!.GetValue<double>(), c.Start));

        var all = (await Run("MusicSegmentDetect", path, "{all:true}", "all.json"))["Segments"]!.AsArray();
        File.ReadAllText(_dir.File("all.json")).Should().Contain("\"Label\":\"chorus\"");
        foreach (var chorus in song.Choruses)
            all.Any(s => s!["Label"]!.GetValue<string>() == "chorus" && Inside(s, chorus) >= 0.5 * (chorus.End - chorus.Start))
                .Should().BeTrue($"the chorus at {chorus.Start}-{chorus.End} s is found among {all.ToJsonString()}");
    }
}
