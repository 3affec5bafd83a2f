using System.Globalization;

namespace RenderFarm.Media.Ffmpeg;

/// <summary>One ffmpeg progress report: frames written, output position, and speed (x realtime) when known.</summary>
public sealed record FfmpegProgress(long Frame, TimeSpan OutTime, double? Speed);

/// <summary>Reads ffmpeg's "-progress" stream: key=value lines, a block closed by "progress=continue|end".</summary>
internal sealed class ProgressParser(IProgress<FfmpegProgress>? progress)
{
    private long _frame;
    private TimeSpan _outTime;
    private double? _speed;

    public FfmpegProgress? Last { get; private set; }

    public async Task ReadAsync(Stream stdout)
    {
        using var reader = new StreamReader(stdout);
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            Feed(line);
    }

    public void Feed(string line)
    {
        var eq = line.IndexOf('=');
        if (eq < 0) return;
        var key = line[..eq].Trim();
        var value = line[(eq + 1)..].Trim();
        switch (key)
        {
            case "frame" when long.TryParse(value, CultureInfo.InvariantCulture, out var frame):
                _frame = frame;
                break;
            // out_time_ms is microseconds too (a long-standing ffmpeg misnomer).
            case "out_time_us" or "out_time_ms" when long.TryParse(value, CultureInfo.InvariantCulture, out var us):
                _outTime = TimeSpan.FromMicroseconds(Math.Max(0, us));
                break;
            case "speed":
                _speed = double.TryParse(value.TrimEnd('x'), NumberStyles.Float, CultureInfo.InvariantCulture, out var speed)
                    ? speed : null;
                break;
            case "progress":
                Last = new FfmpegProgress(_frame, _outTime, _speed);
                // Reported on the stdout reader's thread, in stream order. Whether the handler also runs in
                // that order is up to the IProgress: SyncProgress<T> runs it here and now, Progress<T>
                // posts it to the thread pool, where reports can overtake each other.
                progress?.Report(Last);
                break;
        }
    }
}
