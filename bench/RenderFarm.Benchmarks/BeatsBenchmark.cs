using System.Diagnostics;
using System.Globalization;
using RenderFarm.Media.AudioAnalysis;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Audio;

namespace RenderFarm.Benchmarks;

/// <summary>
/// AudioBeatDetection's tracker beside aubio on the same WAV files of synthetic music with known beats
/// (90, 120, 150 BPM and 100 to 130 BPM at 15 s; drums, bass, chords, melody): F-measure with a +-70 ms
/// window, tempo error and wall time per file, ours through the real decoder (ffmpeg to 22050 Hz mono).
/// aubio's tempo is `aubio tempo`, its beats `aubio beat`. Then MusicSegmentDetect's chorus on a generated
/// intro-verse-chorus-verse-chorus-bridge-chorus song (aubio has no counterpart).
/// </summary>
public static class BeatsBenchmark
{
    private const int FileRate = 44100;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = ClusterBenchmark.Option(args, "--seconds", 30);
        using var dir = new TempDir();
        var decoder = new AudioDecoder(new MediaProber(dir.File("probe")));
        var cases = new (string Name, (double At, double Bpm)[] Tempos)[]
        {
            ("90 BPM", [(0, 90)]), ("120 BPM", [(0, 120)]), ("150 BPM", [(0, 150)]), ("100->130 BPM at 15 s", [(0, 100), (15, 130)]),
        };
        Console.WriteLine($"beats benchmark: {seconds:0} s synthetic tracks at {FileRate} Hz, F-measure +-70 ms, {Environment.ProcessorCount} cores, aubio {AubioVersion()}");
        Console.WriteLine($"{"track",-22} {"ours F",7} {"tempo",16} {"time",7}   {"aubio F",7} {"tempo",16} {"time",7}");
        // Warm-up (JIT, ffmpeg's first start) on a short track, untimed, so the first row is not charged for it.
        var warm = SyntheticMusic.Beats(FileRate, 5, seed: 1, (0, 120));
        WavFile.Write(dir.File("warm.wav"), warm.Samples, FileRate);
        new BeatTracker().Analyse(await decoder.DecodeAsync(dir.File("warm.wav"), "media"));
        var ok = true;
        var (oursF, aubioF, oursTime, aubioTime) = (0.0, 0.0, 0.0, 0.0);
        foreach (var (name, tempos) in cases)
        {
            var track = SyntheticMusic.Beats(FileRate, seconds, seed: (int)tempos[0].Bpm, tempos);
            var file = dir.File($"beats-{tempos[0].Bpm}-{tempos.Length}.wav");
            WavFile.Write(file, track.Samples, FileRate);
            var truthBpm = tempos[^1].Bpm; // the tempo the last (or only) section plays at

            var watch = Stopwatch.StartNew();
            var audio = await decoder.DecodeAsync(file, "media");
            var ours = new BeatTracker().Analyse(audio);
            var ourTime = watch.Elapsed.TotalSeconds;
            var ourF = BeatScore.FMeasure([.. ours.Beats.Select(b => b.Time)], track.Beats);
            var ourBpm = ours.Tempos.Count > 0 ? ours.Tempos[^1].Bpm : 0;

            watch.Restart();
            var aubioBeats = Aubio("beat", file).Select(l => double.Parse(l.Split('\t', ' ')[0], CultureInfo.InvariantCulture)).ToArray();
            var aubioBpmLine = Aubio("tempo", file).FirstOrDefault() ?? "0 bpm";
            var theirTime = watch.Elapsed.TotalSeconds;
            var theirF = BeatScore.FMeasure(aubioBeats, track.Beats);
            var theirBpm = double.Parse(aubioBpmLine.Split(' ')[0], CultureInfo.InvariantCulture);

            Console.WriteLine($"{name,-22} {ourF,7:0.000} {Tempo(ourBpm, truthBpm),16} {ourTime,6:0.00}s   {theirF,7:0.000} {Tempo(theirBpm, truthBpm),16} {theirTime,6:0.00}s");
            if (tempos.Length > 1)
                Console.WriteLine($"{"",-22} our sections: {string.Join(", ", ours.Tempos.Select(s => $"{s.Start:0.0}-{s.End:0.0} s {s.Bpm:0.0} BPM"))}");
            ok &= ourF >= 0.9 && Math.Abs(ourBpm / truthBpm - 1) <= 0.02;
            (oursF, aubioF, oursTime, aubioTime) = (oursF + ourF, aubioF + theirF, oursTime + ourTime, aubioTime + theirTime);
        }
        Console.WriteLine($"mean F-measure: ours {oursF / cases.Length:0.000}, aubio {aubioF / cases.Length:0.000} (ratio {oursF / Math.Max(1e-9, aubioF):0.00}); " +
            $"time: ours {oursTime:0.00} s, aubio {aubioTime:0.00} s (ratio {oursTime / Math.Max(1e-9, aubioTime):0.00}x)");

        var song = SyntheticMusic.Song(FileRate, 120, seed: 5);
        var songFile = dir.File("song.wav");
        WavFile.Write(songFile, song.Samples, FileRate);
        var time = Stopwatch.StartNew();
        var songAudio = await decoder.DecodeAsync(songFile, "media");
        var best = new ChorusDetector().Analyse(songAudio).Segments.Single();
        var all = new ChorusDetector(new ChorusDetectorOptions { All = true }).Analyse(songAudio).Segments;
        var chorusTime = time.Elapsed.TotalSeconds;
        static double Overlap(MusicSegment s, SongSection c) => Math.Max(0, Math.Min(s.End, c.End) - Math.Max(s.Start, c.Start));
        var inside = song.Choruses.Max(c => Overlap(best, c)) / (best.End - best.Start);
        var found = song.Choruses.Count(c => all.Any(s => s.Label == MusicSegment.Chorus && Overlap(s, c) >= 0.8 * (c.End - c.Start)));
        Console.WriteLine($"chorus: song of {song.Samples.Length / (double)FileRate:0} s, best {best.Start:0.0}-{best.End:0.0} s ({inside:P0} inside a chorus), " +
            $"all: {found} of {song.Choruses.Count()} choruses found, chorus boundaries {string.Join(", ", all.Where(s => s.Label == MusicSegment.Chorus).Select(s => $"{s.Start:0.0}-{s.End:0.0}"))} " +
            $"(truth {string.Join(", ", song.Choruses.Select(c => $"{c.Start:0.0}-{c.End:0.0}"))}), {chorusTime:0.00} s for decoding and both analyses");
        ok &= inside >= 0.8 && found == song.Choruses.Count();
        return ok ? 0 : 1;
    }

    private static string Tempo(double bpm, double truth) =>
        string.Create(CultureInfo.InvariantCulture, $"{bpm:0.00} ({Math.Round((bpm / truth - 1) * 100, 1):+0.0;-0.0;0.0}%)");

    private static string[] Aubio(string command, string file)
    {
        var (exit, stdout, stderr) = Tool.Run("aubio", command, file);
        if (exit != 0) throw new InvalidOperationException($"aubio {command} failed: {stderr}");
        return System.Text.Encoding.UTF8.GetString(stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static string AubioVersion()
    {
        var (_, stdout, _) = Tool.Run("aubio", "--version");
        return System.Text.Encoding.UTF8.GetString(stdout).Trim();
    }
}
