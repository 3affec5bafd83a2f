using System.Globalization;

namespace RenderFarm.Core.Batch;

/// <summary>
/// OutputConfig. <see cref="Pattern"/> is the MediaURL (or FileName) with <c>{index}</c>, replaced by the
/// output's number counting from 1. MaxDuration and FixedDuration follow the Script-to-Video FAQ (see the planner).
/// </summary>
public sealed record BatchOutput(
    string Pattern,
    int Count,
    double? MaxDuration,
    double? FixedDuration,
    int Width,
    int Height,
    bool PreviewOnly,
    int? Fps,
    int? BitrateKbps)
{
    public const string IndexToken = "{index}";
    public const int DefaultWidth = 1080;
    public const int DefaultHeight = 1920;

    public string UrlFor(int index) => Pattern.Replace(IndexToken, index.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
