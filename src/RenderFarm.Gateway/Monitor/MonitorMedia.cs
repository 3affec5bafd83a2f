using System.Collections.Concurrent;
using System.Globalization;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Planning;
using RenderFarm.Media.Ffmpeg;

namespace RenderFarm.Gateway.Monitor;

/// <summary>
/// Files the monitor shows, found only through the records that own them, never from a path in the request: a job's
/// finished video (its recorded output, which must lie in the output directory; range requests, so the player can
/// seek), a still from the middle of each of its segments (ffmpeg, kept in memory), and a library entry's shot
/// keyframes (a plain file name in the entry's keyframe directory).
/// </summary>
public sealed class MonitorMedia(FarmNode node)
{
    private const int MaxStills = 512;
    private readonly ConcurrentDictionary<string, byte[]> _stills = new();

    public async Task<IResult> VideoAsync(string jobId, int index, CancellationToken ct) =>
        await FinishedVideoAsync(jobId, index, ct) is { } video
            ? Results.File(video.Path, "video/mp4", enableRangeProcessing: true)
            : NotFound(jobId, index);

    public async Task<IResult> SegmentThumbnailAsync(HttpContext http, string jobId, int index, int segment, CancellationToken ct)
    {
        if (await FinishedVideoAsync(jobId, index, ct) is not { } video) return NotFound(jobId, index);
        var segments = (await node.ReadModel.GetTasksAsync(jobId, ct))
            .Where(t => t.VideoId == video.Record.VideoId && t.Kind == TaskKind.EncodeSegment)
            .Select(t => TaskInputJson.Read<SegmentInput>(t.InputJson)).OrderBy(s => s.StartFrame).ToList();
        if (segment < 0 || segment >= segments.Count || video.Record.TotalFrames <= 0 || video.Record.DurationSeconds is not { } duration)
            return ApiErrors.NotFound("Segment", segment.ToString(CultureInfo.InvariantCulture));
        var middle = (segments[segment].StartFrame + segments[segment].EndFrame) / 2.0 / video.Record.TotalFrames * duration;
        var key = $"{video.Path}|{File.GetLastWriteTimeUtc(video.Path).Ticks}|{segment}";
        if (!_stills.TryGetValue(key, out var jpeg))
        {
            jpeg = await new FfmpegRunner().CaptureStdoutAsync(
                ["-ss", middle.ToString("0.###", CultureInfo.InvariantCulture), "-i", video.Path, "-frames:v", "1", "-vf", "scale=160:-2",
                 "-f", "image2pipe", "-c:v", "mjpeg", "-"], ct);
            if (_stills.Count >= MaxStills) _stills.Clear();
            _stills[key] = jpeg;
        }
        http.Response.Headers.CacheControl = "private, max-age=3600";
        return Results.Bytes(jpeg, "image/jpeg");
    }

    public async Task<IResult> KeyframeAsync(string mediaId, int shot, CancellationToken ct)
    {
        var entry = await node.Library.GetMediaAsync(mediaId, ct);
        var directory = entry?.Analysis is null ? null : await node.Library.KeyframeDirectoryAsync(mediaId, ct);
        if (entry?.Analysis is not { } analysis || directory is null) return ApiErrors.NotFound("MediaId", mediaId);
        if (shot < 0 || shot >= analysis.Shots.Count) return ApiErrors.NotFound("Shot", shot.ToString(CultureInfo.InvariantCulture));
        var file = analysis.Shots[shot].KeyframeFile;
        // The stored name is a bare file name; anything else is not served.
        if (file.Length == 0 || Path.GetFileName(file) != file) return ApiErrors.NotFound("Shot", shot.ToString(CultureInfo.InvariantCulture));
        var path = Path.Combine(directory, file);
        return File.Exists(path) ? Results.File(path, "image/jpeg") : ApiErrors.NotFound("Shot", shot.ToString(CultureInfo.InvariantCulture));
    }

    private async Task<(VideoRecord Record, string Path)?> FinishedVideoAsync(string jobId, int index, CancellationToken ct)
    {
        var video = (await node.ReadModel.GetVideosAsync(jobId, ct)).FirstOrDefault(v => v.Index == index);
        if (video is not { Status: JobStatus.Success }) return null;
        var outputs = Path.GetFullPath(node.Settings.OutputDirectory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var path = Path.GetFullPath(video.OutputPath);
        return path.StartsWith(outputs, StringComparison.Ordinal) && File.Exists(path) ? (video, path) : null;
    }

    private static IResult NotFound(string jobId, int index) =>
        Results.Json(new { RequestId = RequestIds.New(), Code = "NotFound", Message = $"job '{jobId}' has no finished video {index.ToString(CultureInfo.InvariantCulture)}", Field = "Index" }, statusCode: 404);
}
