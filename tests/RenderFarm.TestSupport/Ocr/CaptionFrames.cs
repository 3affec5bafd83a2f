using System.Globalization;
using System.Text;
using System.Text.Json;
using RenderFarm.Core.Text;

namespace RenderFarm.TestSupport.Ocr;

/// <summary>One caption line of a frame: its text, font size, and the band of rows it is drawn in.</summary>
public sealed record CaptionLine(string Text, int FontSize, int Top, int Bottom);

/// <summary>A frame to read: which language and style its captions are, when the timeline shows it, and its lines top to bottom.</summary>
public sealed record CaptionFrame(string Language, string Style, double Start, double End, IReadOnlyList<CaptionLine> Lines)
{
    public double Middle => (Start + End) / 2;
    public string Text => string.Concat(Lines.Select(l => l.Text));

    /// <summary>The characters to read, whitespace not counted (as <see cref="CaptionFrames.Score"/> counts them).</summary>
    public int Characters => Text.Count(c => !char.IsWhiteSpace(c));
}

/// <summary>
/// Frames of captions for OCR accuracy figures, drawn by the farm's own renderer: a timeline whose SubtitleTracks
/// show, one frame after another, Chinese or English lines at several font sizes in one of three styles (plain
/// white, yellow with a black outline, dark on a light box) over a moving colour gradient. The texts are
/// caption-like sentences, different on every line, so a reader cannot do well by guessing.
/// </summary>
public static class CaptionFrames
{
    public static readonly string[] Styles = ["plain", "outline", "box"];
    public static readonly string[] Languages = ["en", "zh"];

    private static readonly string[] English =
    [
        "Welcome back to the channel", "Fresh bread every morning", "Save 30% this weekend only", "The river meets the sea here",
        "Chapter 4 begins at dawn", "Call us on 800 555 0199", "Mountains above the clouds", "Our team won the final game",
        "Tickets on sale from June 12", "Quiet streets after the rain", "Cooking with fresh herbs", "Train leaves at 7:45 tonight",
        "Subscribe for weekly videos", "Night market opens at 6pm", "Built by hand since 1987", "Spring colours in the park",
        "Flight 2026 now boarding", "Three steps to better sleep", "The museum reopens Friday", "Wind turbines at sunset",
    ];

    private static readonly string[] Chinese =
    [
        "欢迎回到我们的频道", "每天早上新鲜面包", "本周末全场八折", "河流在这里汇入大海", "第四章从黎明开始",
        "请拨打客服热线", "云端之上的山峰", "我们的队伍赢得了决赛", "门票六月十二日开售", "雨后安静的街道",
        "用新鲜香草做饭", "列车今晚七点出发", "订阅获取每周视频", "夜市晚上六点开放", "自一九八七年起手工制作",
        "公园里的春天色彩", "航班现在开始登机", "改善睡眠的三个步骤", "博物馆周五重新开放", "日落时分的风力发电机",
    ];

    /// <summary>
    /// The frames: every language and style (<paramref name="rounds"/> times, with other texts), each frame one line per size (sizes in order, top to bottom, spaced
    /// 1.6 sizes apart from <paramref name="top"/>), each shown for <paramref name="seconds"/> (one frame at 25 fps by default). A longer text is cut
    /// to what fits <paramref name="width"/> at its size.
    /// </summary>
    public static IReadOnlyList<CaptionFrame> Plan(IReadOnlyList<int> sizes, int width, int top, double seconds = 0.04,
        IReadOnlyList<string>? languages = null, IReadOnlyList<string>? styles = null, int rounds = 1)
    {
        var frames = new List<CaptionFrame>();
        var next = 0;
        foreach (var language in Enumerable.Repeat(languages ?? Languages, rounds).SelectMany(l => l))
            foreach (var style in styles ?? Styles)
            {
                var lines = new List<CaptionLine>();
                var y = top;
                foreach (var size in sizes)
                {
                    var pool = language == "zh" ? Chinese : English;
                    var text = Fit(pool[next++ % pool.Length], size, width, language == "zh");
                    var height = (int)Math.Ceiling(size * 1.6);
                    lines.Add(new CaptionLine(text, size, y, y + height));
                    y += height;
                }
                var start = frames.Count * seconds;
                frames.Add(new CaptionFrame(language, style, start, start + seconds, lines));
            }
        return frames;
    }

    /// <summary>The text cut at a word (English) or character (Chinese) so it fits 90% of the width: CJK glyphs are one size wide, Latin about 0.6.</summary>
    private static string Fit(string text, int size, int width, bool cjk)
    {
        var room = width * 0.9;
        if (cjk) return text[..Math.Min(text.Length, (int)(room / size))];
        var words = text.Split(' ');
        var fitted = words[0];
        foreach (var word in words.Skip(1))
        {
            var longer = fitted + " " + word;
            if (longer.Length * size * 0.6 > room) break;
            fitted = longer;
        }
        return fitted;
    }

    /// <summary>
    /// The timeline JSON: <paramref name="background"/> (a video at least as long as the frames) under one subtitle clip per line,
    /// output <paramref name="width"/> x <paramref name="height"/>.
    /// </summary>
    public static string Timeline(IReadOnlyList<CaptionFrame> frames, string background, int width, int height)
    {
        var clips = new List<object>();
        foreach (var frame in frames)
            foreach (var line in frame.Lines)
            {
                var clip = new Dictionary<string, object>
                {
                    ["Type"] = "Text", ["Content"] = line.Text, ["TimelineIn"] = frame.Start, ["TimelineOut"] = frame.End,
                    ["Alignment"] = "TopCenter", ["Y"] = line.Top + (int)(line.FontSize * 0.3), ["FontSize"] = line.FontSize,
                };
                switch (frame.Style)
                {
                    case "plain":
                        clip["FontColor"] = "#FFFFFF";
                        break;
                    case "outline":
                        clip["FontColor"] = "#FFE000";
                        clip["Outline"] = Math.Max(2, line.FontSize / 12);
                        clip["OutlineColour"] = "#000000";
                        break;
                    default:
                        clip["FontColor"] = "#202020";
                        clip["SubtitleEffects"] = new object[]
                        {
                            new Dictionary<string, object> { ["Type"] = "Box", ["Color"] = "#F0F0F0", ["Opacity"] = 0.9, ["XBord"] = line.FontSize / 4, ["YBord"] = line.FontSize / 8 },
                        };
                        break;
                }
                clips.Add(clip);
            }
        var timeline = new Dictionary<string, object>
        {
            ["Timeline"] = new Dictionary<string, object>
            {
                ["VideoTracks"] = new[] { new { VideoTrackClips = new[] { new { MediaURL = background } } } },
                ["SubtitleTracks"] = new[] { new { SubtitleTrackClips = clips } },
            },
            ["OutputMediaConfig"] = new { Width = width, Height = height },
        };
        return JsonSerializer.Serialize(timeline);
    }

    /// <summary>ffmpeg arguments for a moving colour gradient (mid-dark colours, so white text stays legible) of the given size and length.</summary>
    public static string[] BackgroundArguments(int width, int height, double seconds, string output) =>
    [
        "-f", "lavfi", "-i",
        string.Create(CultureInfo.InvariantCulture, $"gradients=s={width}x{height}:c0=0x1E3A6E:c1=0x6E2E1E:c2=0x2E5E3A:c3=0x5A3A7A:nb_colors=4:speed=0.05:r=25:d={seconds}"),
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", output,
    ];

    /// <summary>
    /// Character accuracy: 1 - (edit distance / characters expected), with all whitespace removed from both (readers
    /// differ in how they space CJK and words, which is not what is measured). Below 0 is reported as 0.
    /// </summary>
    public static (int Errors, int Characters) Score(string expected, string read)
    {
        var a = Strip(expected);
        var b = Strip(read);
        return (EditDistance.Between(a, b), a.Length);
    }

    public static double Accuracy(IEnumerable<(int Errors, int Characters)> scores)
    {
        var list = scores.ToList();
        var characters = list.Sum(s => s.Characters);
        return characters == 0 ? 1 : Math.Max(0, 1 - (double)list.Sum(s => s.Errors) / characters);
    }

    private static string Strip(string s)
    {
        var text = new StringBuilder(s.Length);
        foreach (var c in s) if (!char.IsWhiteSpace(c)) text.Append(c);
        return text.ToString();
    }
}
