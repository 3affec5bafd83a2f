using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RenderFarm.TestSupport;

/// <summary>Runs ffmpeg/ffprobe for tests: argument lists only, output captured, failures thrown with stderr.</summary>
public static class Tool
{
    public static (int Exit, byte[] Stdout, string Stderr) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var ms = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(ms);
        process.WaitForExit();
        return (process.ExitCode, ms.ToArray(), stderr.Result);
    }

    public static byte[] Ffmpeg(params string[] args)
    {
        var (exit, stdout, stderr) = Run("ffmpeg", ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", .. args]);
        if (exit != 0) throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed: {stderr}");
        return stdout;
    }
}

/// <summary>Makes the media tests render: solid colours, test patterns, tones, images.</summary>
public sealed class TestMedia(string directory)
{
    public string Directory { get; } = System.IO.Directory.CreateDirectory(directory).FullName;

    /// <summary>A solid-colour video, optionally with a sine tone (Hz) as its audio.</summary>
    public string ColourVideo(string name, string colour, double seconds, int width = 320, int height = 240, int fps = 25, int? toneHz = null) =>
        Video(name, $"color=c={colour}:s={width}x{height}:r={fps}:d={Num(seconds)}", seconds, fps, toneHz);

    /// <summary>A moving test pattern (testsrc2) so frames differ over time.</summary>
    public string PatternVideo(string name, double seconds, int width = 320, int height = 240, int fps = 25, int? toneHz = null) =>
        Video(name, $"testsrc2=s={width}x{height}:r={fps}:d={Num(seconds)}", seconds, fps, toneHz);

    private string Video(string name, string source, double seconds, int fps, int? toneHz)
    {
        var path = Path.Combine(Directory, name);
        var args = new List<string> { "-f", "lavfi", "-i", source };
        if (toneHz is { } hz) args.AddRange(["-f", "lavfi", "-i", $"sine=frequency={hz}:sample_rate=48000:duration={Num(seconds)}"]);
        args.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", fps.ToString()]);
        if (toneHz is not null) args.AddRange(["-c:a", "aac", "-shortest"]);
        args.Add(path);
        Tool.Ffmpeg([.. args]);
        return path;
    }

    public string ColourImage(string name, string colour, int width = 320, int height = 240)
    {
        var path = Path.Combine(Directory, name);
        Tool.Ffmpeg("-f", "lavfi", "-i", $"color=c={colour}:s={width}x{height}", "-frames:v", "1", path);
        return path;
    }

    public string Tone(string name, int hz, double seconds, double volume = 0.5)
    {
        var path = Path.Combine(Directory, name);
        Tool.Ffmpeg("-f", "lavfi", "-i", $"sine=frequency={hz}:sample_rate=48000:duration={Num(seconds)}", "-af", $"volume={Num(volume)}", "-c:a", "aac", path);
        return path;
    }

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What a viewer would check in a rendered file.</summary>
public static class Inspect
{
    public sealed record Facts(double Duration, int Width, int Height, long VideoFrames, double VideoDuration, bool HasAudio, string VideoCodec, string? AudioCodec);

    public static Facts Probe(string path)
    {
        var (exit, stdout, stderr) = Tool.Run("ffprobe", "-v", "error", "-count_frames", "-print_format", "json", "-show_format", "-show_streams", path);
        if (exit != 0) throw new InvalidOperationException(stderr);
        using var doc = JsonDocument.Parse(stdout);
        var streams = doc.RootElement.GetProperty("streams").EnumerateArray().ToList();
        var video = streams.FirstOrDefault(s => s.GetProperty("codec_type").GetString() == "video");
        var audio = streams.FirstOrDefault(s => s.GetProperty("codec_type").GetString() == "audio");
        double D(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? double.Parse(v.GetString()!, CultureInfo.InvariantCulture) : 0;
        var hasVideo = video.ValueKind == JsonValueKind.Object;
        return new Facts(
            D(doc.RootElement.GetProperty("format"), "duration"),
            hasVideo ? video.GetProperty("width").GetInt32() : 0,
            hasVideo ? video.GetProperty("height").GetInt32() : 0,
            hasVideo ? long.Parse(video.GetProperty("nb_read_frames").GetString()!) : 0,
            hasVideo ? D(video, "duration") : 0,
            audio.ValueKind == JsonValueKind.Object,
            hasVideo ? video.GetProperty("codec_name").GetString()! : "",
            audio.ValueKind == JsonValueKind.Object ? audio.GetProperty("codec_name").GetString() : null);
    }

    /// <summary>The frame shown at <paramref name="seconds"/> as packed RGB24.</summary>
    public static (byte[] Rgb, int Width, int Height) Frame(string path, double seconds)
    {
        var facts = Probe(path);
        var rgb = Tool.Ffmpeg("-ss", seconds.ToString("0.####", CultureInfo.InvariantCulture), "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
        return (rgb, facts.Width, facts.Height);
    }

    /// <summary>The frame with index <paramref name="index"/> (exact, by decoding and selecting).</summary>
    public static (byte[] Rgb, int Width, int Height) FrameAt(string path, long index)
    {
        var facts = Probe(path);
        var rgb = Tool.Ffmpeg("-i", path, "-vf", $"select=eq(n\\,{index})", "-vsync", "0", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
        return (rgb, facts.Width, facts.Height);
    }

    /// <summary>Every frame of a (short) video, decoded once.</summary>
    public static IReadOnlyList<(byte[] Rgb, int Width, int Height)> AllFrames(string path)
    {
        var facts = Probe(path);
        var raw = Tool.Ffmpeg("-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
        var size = facts.Width * facts.Height * 3;
        return Enumerable.Range(0, raw.Length / size).Select(i => (raw[(i * size)..((i + 1) * size)], facts.Width, facts.Height)).ToList();
    }

    public static (int R, int G, int B) Pixel((byte[] Rgb, int Width, int Height) frame, int x, int y)
    {
        var i = (y * frame.Width + x) * 3;
        return (frame.Rgb[i], frame.Rgb[i + 1], frame.Rgb[i + 2]);
    }

    /// <summary>The mean colour of a rectangle of the frame.</summary>
    public static (double R, double G, double B) Mean((byte[] Rgb, int Width, int Height) frame, int x, int y, int w, int h)
    {
        double r = 0, g = 0, b = 0;
        for (var yy = y; yy < y + h; yy++)
            for (var xx = x; xx < x + w; xx++)
            {
                var p = Pixel(frame, xx, yy);
                r += p.R; g += p.G; b += p.B;
            }
        var n = (double)w * h;
        return (r / n, g / n, b / n);
    }

    /// <summary>Mean volume in dB of the whole audio (volumedetect); -91 for digital silence.</summary>
    public static double MeanVolume(string path, double? start = null, double? duration = null)
    {
        var args = new List<string> { "-hide_banner", "-nostdin" };
        if (start is { } s) args.AddRange(["-ss", s.ToString(CultureInfo.InvariantCulture)]);
        if (duration is { } d) args.AddRange(["-t", d.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["-i", path, "-vn", "-af", "volumedetect", "-f", "null", "-"]);
        var (_, _, stderr) = Tool.Run("ffmpeg", [.. args]);
        var m = Regex.Match(stderr, @"mean_volume: (-?[\d.]+|-inf) dB");
        if (!m.Success) throw new InvalidOperationException("no volumedetect output: " + stderr);
        return m.Groups[1].Value == "-inf" ? -91 : double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Stretches of the sound quieter than <paramref name="noiseDb"/> for at least <paramref name="minSeconds"/> (ffmpeg silencedetect), in seconds.</summary>
    public static IReadOnlyList<(double Start, double End)> Silences(string path, double noiseDb = -45, double minSeconds = 0.3)
    {
        var filter = string.Create(CultureInfo.InvariantCulture, $"silencedetect=noise={noiseDb}dB:d={minSeconds}");
        var (_, _, stderr) = Tool.Run("ffmpeg", "-hide_banner", "-nostdin", "-i", path, "-vn", "-af", filter, "-f", "null", "-");
        var starts = Regex.Matches(stderr, @"silence_start: (-?[\d.]+)").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        var ends = Regex.Matches(stderr, @"silence_end: (-?[\d.]+)").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        var duration = Probe(path).Duration;
        return starts.Select((start, i) => (Math.Max(0, start), i < ends.Count ? ends[i] : duration)).ToList();
    }

    /// <summary>PSNR in dB between two frames of equal size (infinity when identical).</summary>
    public static double Psnr((byte[] Rgb, int Width, int Height) a, (byte[] Rgb, int Width, int Height) b) => Psnr(a, b, (_, _) => true);

    /// <summary>PSNR in dB over the pixels (x, y) that <paramref name="counted"/> admits (infinity when they are identical).</summary>
    public static double Psnr((byte[] Rgb, int Width, int Height) a, (byte[] Rgb, int Width, int Height) b, Func<int, int, bool> counted)
    {
        if (a.Rgb.Length != b.Rgb.Length) throw new ArgumentException("frames differ in size");
        double sum = 0;
        long values = 0;
        for (var y = 0; y < a.Height; y++)
            for (var x = 0; x < a.Width; x++)
            {
                if (!counted(x, y)) continue;
                for (var i = (y * a.Width + x) * 3; i < (y * a.Width + x) * 3 + 3; i++) { var d = a.Rgb[i] - b.Rgb[i]; sum += d * d; }
                values += 3;
            }
        var mse = values == 0 ? 0 : sum / values;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }
}

/// <summary>A temporary directory removed when disposed.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Directory.CreateTempSubdirectory("renderfarm-test-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose()
    {
        try { System.IO.Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
