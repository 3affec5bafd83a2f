using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RenderFarm.Media.Ai;

namespace RenderFarm.AI.Recognition;

/// <summary>
/// Transcripts on disk, one JSON file per key. A file is written to a temporary name and renamed into
/// place, so a reader sees a whole entry or none, and concurrent writers of one key both leave a whole
/// one. An unreadable entry counts as a miss (and is rewritten).
/// </summary>
internal sealed class TranscriptCache(string directory)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true };

    private sealed record Entry(string Media, double Start, double End, List<TimedSentence> Sentences);

    /// <summary>SHA-256 of the key lines, as a file name.</summary>
    public static string Key(IEnumerable<string> parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));

    public IReadOnlyList<TimedSentence>? TryRead(string key)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<Entry>(File.ReadAllText(path), Json)?.Sentences;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    public void Write(string key, string media, double start, double end, IReadOnlyList<TimedSentence> sentences)
    {
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{key}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, JsonSerializer.Serialize(new Entry(media, start, end, [.. sentences]), Json));
            File.Move(temp, PathOf(key), overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private string PathOf(string key) => Path.Combine(directory, key + ".json");
}
