using FluentAssertions;
using RenderFarm.Media.AudioAnalysis;
using RenderFarm.TestSupport.Audio;
using Xunit;

namespace RenderFarm.Media.Tests.AudioAnalysis;

/// <summary>
/// Acceptance of MusicSegmentDetect's engine on a generated song: intro-verse-chorus-verse-chorus-bridge-chorus,
/// the chorus a distinct chord progression played louder. Synthesised once at 8 kHz for all tests here.
/// </summary>
public sealed class ChorusDetectorTests(ChorusDetectorTests.Song song, ITestOutputHelper output) : IClassFixture<ChorusDetectorTests.Song>
{
    public sealed class Song
    {
        public SyntheticSong Track { get; } = SyntheticMusic.Song(8000, 120, seed: 5);
        public MonoAudio Audio => new(Track.Samples, Track.SampleRate);
    }

    private static double Overlap(MusicSegment segment, SongSection section) =>
        Math.Max(0, Math.Min(segment.End, section.End) - Math.Max(segment.Start, section.Start));

    [Fact]
    public void The_best_segment_lies_in_a_chorus()
    {
        var result = new ChorusDetector().Analyse(song.Audio);
        var best = result.Segments.Should().ContainSingle().Subject;
        var covered = song.Track.Choruses.Max(c => Overlap(best, c)) / (best.End - best.Start);
        output.WriteLine($"best: {best.Start}-{best.End} s score {best.Score} ({covered:P0} inside a chorus); choruses at " +
            string.Join(", ", song.Track.Choruses.Select(c => $"{c.Start}-{c.End}")));
        best.Label.Should().Be(MusicSegment.Chorus);
        covered.Should().BeGreaterThanOrEqualTo(0.8);
        (best.End - best.Start).Should().BeGreaterThan(8);
    }

    [Fact]
    public void All_finds_every_chorus()
    {
        var result = new ChorusDetector(new ChorusDetectorOptions { All = true }).Analyse(song.Audio);
        foreach (var s in result.Segments) output.WriteLine($"{s.Label} {s.Group}: {s.Start}-{s.End} s score {s.Score}");
        var choruses = result.Segments.Where(s => s.Label == MusicSegment.Chorus).ToList();
        foreach (var chorus in song.Track.Choruses)
            choruses.Should().Contain(s => Overlap(s, chorus) >= 0.8 * (s.End - s.Start) && Overlap(s, chorus) >= 0.8 * (chorus.End - chorus.Start),
                $"the chorus at {chorus.Start}-{chorus.End} s is found");
        choruses.Should().HaveCount(3);
        result.Segments.Where(s => s.Label == MusicSegment.Repeat).Should().Contain(s => song.Track.Sections.Any(v => v.Name == SyntheticMusic.Verse && Overlap(s, v) >= 0.8 * (v.End - v.Start)),
            "the verse repeats too");
    }
}
