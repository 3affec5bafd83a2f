using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Media.Sources;

namespace RenderFarm.Media.Ffmpeg;

/// <summary>
/// Probes media files with ffprobe. Results are cached per (full path, length, last write time),
/// in memory and as JSON files in the cache directory, so a restart does not probe again and an
/// edited file is probed afresh.
/// </summary>
public sealed class MediaProber
{
    private const int CacheVersion = 1; // part of the cache file name: bump when the facts change meaning
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);
    private const string NotMedia = "is not a readable audio, video or image file";

    private readonly string _cacheDirectory;
    private readonly string? _ffprobePath;
    private readonly ConcurrentDictionary<CacheKey, MediaFacts> _memory = new();
    private int _ffprobeRuns;

    /// <param name="cacheDirectory">Where probe results are kept (created on demand).</param>
    /// <param name="ffprobePath">Defaults to <see cref="FfmpegRunner.FfprobePath"/>.</param>
    public MediaProber(string cacheDirectory, string? ffprobePath = null)
    {
        _cacheDirectory = Path.GetFullPath(cacheDirectory);
        _ffprobePath = ffprobePath;
    }

    /// <summary>How many times this instance actually ran ffprobe (cache misses).</summary>
    public int FfprobeRuns => Volatile.Read(ref _ffprobeRuns);

    /// <exception cref="RequestException">At <paramref name="jsonPath"/> when the file is missing or not media.</exception>
    public async Task<MediaFacts> ProbeAsync(string localPath, string jsonPath, CancellationToken ct)
    {
        var info = new FileInfo(Path.GetFullPath(localPath));
        if (!info.Exists) throw new RequestException(jsonPath, $"'{info.FullName}' was not found");
        var key = new CacheKey(info.FullName, info.Length, info.LastWriteTimeUtc.Ticks);
        if (_memory.TryGetValue(key, out var known)) return known;

        var cacheFile = Path.Combine(_cacheDirectory, key.FileName);
        var facts = ReadCache(cacheFile, key);
        if (facts is null)
        {
            facts = await RunFfprobeAsync(info.FullName, jsonPath, ct).ConfigureAwait(false);
            WriteCache(cacheFile, key, facts);
        }
        _memory[key] = facts;
        return facts;
    }

    private async Task<MediaFacts> RunFfprobeAsync(string path, string jsonPath, CancellationToken ct)
    {
        Interlocked.Increment(ref _ffprobeRuns);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(ProbeTimeout); // a hostile file must not hold a request forever
        using var stdout = new MemoryStream();
        ToolResult result;
        try
        {
            result = await ToolProcess.RunAsync(_ffprobePath ?? FfmpegRunner.FfprobePath,
            [
                "-v", "error", "-protocol_whitelist", "file", // probing never opens the network
                "-print_format", "json", "-show_format", "-show_streams",
                MediaSourceResolver.ForFfmpeg(path),
            ], s => s.CopyToAsync(stdout), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new RequestException(jsonPath, $"{NotMedia}: ffprobe did not finish within {ProbeTimeout.TotalSeconds:0} s");
        }
        if (result.ExitCode != 0)
            throw new RequestException(jsonPath, $"{NotMedia}: {FirstErrorLine(result.StderrTail, path, result.ExitCode)}");
        try
        {
            return ProbeInterpreter.Interpret(Encoding.UTF8.GetString(stdout.ToArray()));
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            throw new RequestException(jsonPath, $"{NotMedia}: {e.Message}");
        }
    }

    /// <summary>ffprobe's first stderr line without the "file:/path: " it starts with.</summary>
    private static string FirstErrorLine(IReadOnlyList<string> tail, string path, int exitCode)
    {
        var line = tail.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        if (line is null) return $"ffprobe exited with code {exitCode}";
        var prefix = MediaSourceResolver.ForFfmpeg(path) + ": ";
        return FfmpegException.WithoutAddresses(line.StartsWith(prefix, StringComparison.Ordinal) ? line[prefix.Length..] : line);
    }

    private static MediaFacts? ReadCache(string file, CacheKey key)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<CacheEntry>(File.ReadAllText(file));
            // The name is a hash; the stored key guards against collisions and hand-edited files.
            return entry is not null && entry.Path == key.Path && entry.Length == key.Length && entry.LastWriteTicks == key.LastWriteTicks
                ? new MediaFacts(entry.DurationSeconds, entry.Width, entry.Height, entry.HasVideo, entry.HasAudio, entry.IsStill)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null; // missing or damaged: probe again
        }
    }

    private void WriteCache(string file, CacheKey key, MediaFacts facts)
    {
        var entry = new CacheEntry(key.Path, key.Length, key.LastWriteTicks,
            facts.DurationSeconds, facts.Width, facts.Height, facts.HasVideo, facts.HasAudio, facts.IsStill);
        var temp = $"{file}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(_cacheDirectory);
            File.WriteAllText(temp, JsonSerializer.Serialize(entry));
            File.Move(temp, file, overwrite: true); // readers never see a half-written file
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { } // the cache is an optimisation: never fail a probe for it
        }
    }

    private sealed record CacheKey(string Path, long Length, long LastWriteTicks)
    {
        public string FileName => Convert.ToHexStringLower(SHA256.HashData(
            Encoding.UTF8.GetBytes($"{Path}\n{Length}\n{LastWriteTicks}"))) + $".v{CacheVersion}.json";
    }

    private sealed record CacheEntry(string Path, long Length, long LastWriteTicks, double DurationSeconds,
        int Width, int Height, bool HasVideo, bool HasAudio, bool IsStill);
}
