using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FFMpegCore;
using FFMpegCore.Exceptions;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;

namespace RenderFarm.Media.Ffmpeg;

/// <summary>
/// Probes media files with ffprobe through FFMpegCore (<see cref="ProbeInterpreter"/> reads its analysis). Results are cached per (full path, length, last write time),
/// in memory and as JSON files in the cache directory, so a restart does not probe again and an
/// edited file is probed afresh.
/// </summary>
public sealed class MediaProber
{
    private const int CacheVersion = 3; // part of the cache file name: bump when the facts change meaning
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
    private const string NotMedia = "is not a readable audio, video or image file";

    private readonly string _cacheDirectory;
    private readonly string? _ffprobePath;
    private readonly TimeSpan _timeout;
    private readonly ConcurrentDictionary<CacheKey, MediaFacts> _memory = new();
    private int _ffprobeRuns;

    /// <param name="cacheDirectory">Where probe results are kept (created on demand).</param>
    /// <param name="ffprobePath">Defaults to <see cref="FfmpegRunner.FfprobePath"/>.</param>
    /// <param name="timeout">How long one ffprobe run may take (default 60 s).</param>
    public MediaProber(string cacheDirectory, string? ffprobePath = null, TimeSpan? timeout = null)
    {
        _cacheDirectory = Path.GetFullPath(cacheDirectory);
        _ffprobePath = ffprobePath;
        _timeout = timeout ?? DefaultTimeout;
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
        var options = new FFOptions { BinaryFolder = FfprobeFolder(_ffprobePath ?? FfmpegRunner.FfprobePath) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_timeout); // a hostile file must not hold a request forever
        using var input = QuotableInput.For(path, Path.Combine(_cacheDirectory, "links"));
        IMediaAnalysis analysis;
        try
        {
            // Probing never opens the network: playlists and the like may name only local files (and are refused below).
            analysis = await FFProbe.AnalyseAsync(input.Path, options, "-protocol_whitelist file", deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new RequestException(jsonPath, $"{NotMedia}: ffprobe did not finish within {_timeout.TotalSeconds:0.#} s");
        }
        catch (FFProbeProcessException e)
        {
            throw new RequestException(jsonPath, $"{NotMedia}: {FirstErrorLine(e.StandardError, input.Path, e.ExitCode)}");
        }
        catch (Exception e) when (e is FormatNullException or JsonException or FormatException or OverflowException or ArgumentException)
        {
            // FFMpegCore could not read what ffprobe wrote about the file (no format, malformed numbers).
            throw new RequestException(jsonPath, $"{NotMedia}: {e.Message}");
        }
        try
        {
            return ProbeInterpreter.Interpret(analysis);
        }
        catch (InvalidDataException e)
        {
            throw new RequestException(jsonPath, $"{NotMedia}: {e.Message}");
        }
    }

    /// <summary>
    /// FFMpegCore runs "ffprobe" from a folder (preferring its x64 subfolder). A configured tool with another
    /// name, or beside such a subfolder, is reached through a link named ffprobe in a folder of its own.
    /// </summary>
    private string FfprobeFolder(string ffprobe)
    {
        var folder = Path.GetDirectoryName(ffprobe)!;
        if (Path.GetFileName(ffprobe) == "ffprobe" && !File.Exists(Path.Combine(folder, "x64", "ffprobe"))) return folder;
        folder = Path.Combine(_cacheDirectory, "tool", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ffprobe)))[..16]);
        var link = Path.Combine(folder, "ffprobe");
        if (File.Exists(link)) return folder;
        Directory.CreateDirectory(folder);
        try { File.CreateSymbolicLink(link, ffprobe); }
        catch (IOException) when (File.Exists(link)) { } // another probe made it first
        return folder;
    }

    /// <summary>ffprobe's first stderr line without the "/path: " it starts with.</summary>
    private static string FirstErrorLine(IReadOnlyList<string> stderr, string path, int exitCode)
    {
        var line = stderr.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        if (line is null) return $"ffprobe exited with code {exitCode}";
        var prefix = path + ": ";
        return FfmpegException.WithoutAddresses(line.StartsWith(prefix, StringComparison.Ordinal) ? line[prefix.Length..] : line);
    }

    private static MediaFacts? ReadCache(string file, CacheKey key)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<CacheEntry>(File.ReadAllText(file));
            // The name is a hash; the stored key guards against collisions and hand-edited files.
            return entry is not null && entry.Path == key.Path && entry.Length == key.Length && entry.LastWriteTicks == key.LastWriteTicks
                ? new MediaFacts(entry.DurationSeconds, entry.Width, entry.Height, entry.HasVideo, entry.HasAudio, entry.IsStill, entry.FrameRate, entry.HasAlpha)
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
            facts.DurationSeconds, facts.Width, facts.Height, facts.HasVideo, facts.HasAudio, facts.IsStill, facts.FrameRate, facts.HasAlpha);
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
        int Width, int Height, bool HasVideo, bool HasAudio, bool IsStill, double FrameRate, bool HasAlpha);

    /// <summary>
    /// The path handed to FFMpegCore, which writes it between double quotes into one argument string: a name
    /// holding a quote or a backslash would split or rewrite ffprobe's arguments (ffprobe's -o writes files), so
    /// such a file is probed through a fresh link with a plain name and its extension (some demuxers go by it).
    /// </summary>
    private sealed class QuotableInput(string path, string? link) : IDisposable
    {
        public string Path { get; } = path;

        public static QuotableInput For(string path, string linkDirectory)
        {
            if (IsQuotable(path)) return new(path, null);
            var extension = System.IO.Path.GetExtension(path);
            if (!extension.Skip(1).All(char.IsAsciiLetterOrDigit)) extension = "";
            var link = System.IO.Path.Combine(linkDirectory, Guid.NewGuid().ToString("N") + extension);
            if (!IsQuotable(link)) throw new IOException($"the probe cache directory '{linkDirectory}' holds a quote or a backslash");
            Directory.CreateDirectory(linkDirectory);
            File.CreateSymbolicLink(link, path);
            return new(link, link);
        }

        private static bool IsQuotable(string path) => path.IndexOfAny(['"', '\\']) < 0;

        public void Dispose()
        {
            try { if (link is not null) File.Delete(link); }
            catch (IOException) { } // a stray link in the cache directory harms nothing
        }
    }
}
