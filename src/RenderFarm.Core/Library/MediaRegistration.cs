using RenderFarm.Core.Json;

namespace RenderFarm.Core.Library;

/// <summary>A RegisterMediaInfo request as accepted: the medium's URL, its type and what the user says about it.</summary>
public sealed record MediaRegistration(string InputUrl, string MediaType, string? Title, string? Description, IReadOnlyList<string> Tags);

/// <summary>
/// Reads and checks a RegisterMediaInfo request (IMS field names, case-insensitive): InputURL (required,
/// at most <see cref="MaxUrlLength"/> characters, a local path, file:// or http(s):// URL; whether it may be
/// read is decided by the media source policy when it is analysed), MediaType (video, audio or image;
/// guessed from the file extension when absent), Title (at most 128 characters), Description (at most
/// 1024) and Tags (a comma-separated string or an array: at most 16 tags of at most 32 characters).
/// </summary>
public static class MediaRegistrationParser
{
    public const int MaxUrlLength = 2048, MaxTitleLength = 128, MaxDescriptionLength = 1024, MaxTags = 16, MaxTagLength = 32;
    public static readonly IReadOnlyList<string> MediaTypes = ["video", "audio", "image"];

    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff" };
    private static readonly HashSet<string> AudioExtensions = new(StringComparer.OrdinalIgnoreCase) { ".mp3", ".wav", ".m4a", ".aac", ".flac", ".ogg", ".opus" };

    public static MediaRegistration Parse(string body)
    {
        var diagnostics = new Diagnostics();
        var root = JsonObjectReader.Parse(body, diagnostics);
        var url = root.String("InputURL")?.Trim();
        if (string.IsNullOrEmpty(url)) throw root.Error("InputURL", "is required");
        if (url.Length > MaxUrlLength) throw root.Error("InputURL", $"at most {MaxUrlLength} characters are allowed (got {url.Length})");
        if (url.Any(char.IsControl)) throw root.Error("InputURL", "must not contain control characters");
        var type = root.OneOf("MediaType", MediaTypes) ?? GuessType(url);
        var title = Limited(root, "Title", MaxTitleLength);
        var description = Limited(root, "Description", MaxDescriptionLength);
        var tags = Tags(root);
        // Other IMS fields (BusinessType, CoverURL, Overwrite, ...) are accepted and ignored.
        return new MediaRegistration(url, type, title, description, tags);
    }

    /// <summary>IMS Tags is one comma-separated string; an array of strings is accepted too. Empty items are dropped, duplicates kept once.</summary>
    private static IReadOnlyList<string> Tags(JsonObjectReader root)
    {
        var raw = root.Raw("Tags");
        if (raw is null) return [];
        var items = raw.Value.ValueKind == System.Text.Json.JsonValueKind.String
            ? raw.Value.GetString()!.Split(',')
            : root.Strings("Tags").ToArray();
        var tags = items.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (tags.Count > MaxTags) throw root.Error("Tags", $"at most {MaxTags} tags are allowed (got {tags.Count})");
        if (tags.FirstOrDefault(t => t.Length > MaxTagLength) is { } tooLong)
            throw root.Error("Tags", $"each tag may have at most {MaxTagLength} characters ('{tooLong[..MaxTagLength]}...' has {tooLong.Length})");
        return tags;
    }

    private static string? Limited(JsonObjectReader root, string name, int max)
    {
        var value = root.String(name)?.Trim();
        if (string.IsNullOrEmpty(value)) return null;
        if (value.Length > max) throw root.Error(name, $"at most {max} characters are allowed (got {value.Length})");
        return value;
    }

    private static string GuessType(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) && !uri.IsFile ? uri.AbsolutePath : url;
        var extension = Path.GetExtension(path);
        return ImageExtensions.Contains(extension) ? "image" : AudioExtensions.Contains(extension) ? "audio" : "video";
    }
}
