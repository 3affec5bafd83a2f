using System.Globalization;
using System.Text.Json;
using RenderFarm.Core.Json;

namespace RenderFarm.Media.Vision.Captions;

/// <summary>A rectangle of a frame in pixels.</summary>
public readonly record struct PixelBox(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;

    /// <summary>The whole-pixel box around text lines' corners.</summary>
    public static PixelBox Around(IReadOnlyCollection<Ai.TextLine> lines)
    {
        int left = (int)Math.Floor(lines.Min(l => l.Left)), top = (int)Math.Floor(lines.Min(l => l.Top));
        int right = (int)Math.Ceiling(lines.Max(l => l.Right)), bottom = (int)Math.Ceiling(lines.Max(l => l.Bottom));
        return new PixelBox(left, top, right - left, bottom - top);
    }
}

/// <summary>
/// IMS's caption <c>roi</c>: <c>[[top, bottom], [left, right]]</c> as fractions of the frame (0-1), where captions
/// are looked for. The default is the bottom quarter, <c>[[0.75, 1], [0, 1]]</c>.
/// </summary>
public sealed record CaptionRegion(double Top, double Bottom, double Left, double Right)
{
    public static readonly CaptionRegion BottomQuarter = new(0.75, 1, 0, 1);

    /// <summary>The least height or width of the region, as a fraction of the frame (a thinner band cannot hold a caption line).</summary>
    public const double MinExtent = 0.05;

    /// <summary>The region named by JobParams.<paramref name="name"/>, or the bottom quarter when it is absent.</summary>
    /// <exception cref="RequestException">Not two pairs of fractions, a pair out of order or a region thinner than 5% of the frame.</exception>
    public static CaptionRegion Parse(JsonObjectReader p, string name = "roi")
    {
        if (p.Raw(name) is not { } raw) return BottomQuarter;
        const string form = "must be [[top, bottom], [left, right]] with fractions of the frame from 0 to 1, e.g. [[0.75, 1], [0, 1]] (the bottom quarter)";
        if (raw.ValueKind != JsonValueKind.Array || raw.GetArrayLength() != 2) throw p.Error(name, form);
        var pairs = new double[2][];
        for (var i = 0; i < 2; i++)
        {
            var pair = raw[i];
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || pair.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
                throw p.Error($"{name}[{i}]", form);
            pairs[i] = [pair[0].GetDouble(), pair[1].GetDouble()];
            var (low, high) = (pairs[i][0], pairs[i][1]);
            var what = i == 0 ? "top and bottom" : "left and right";
            if (!(low >= 0 && high <= 1 && high - low >= MinExtent))
                throw p.Error($"{name}[{i}]", string.Create(CultureInfo.InvariantCulture,
                    $"{what} must be fractions from 0 to 1, the first smaller by at least {MinExtent} (got [{low}, {high}]); {form}"));
        }
        return new CaptionRegion(pairs[0][0], pairs[0][1], pairs[1][0], pairs[1][1]);
    }

    /// <summary>The region in a frame of <paramref name="width"/> x <paramref name="height"/>, on even pixels (what ffmpeg's crop keeps for 4:2:0 video).</summary>
    public PixelBox In(int width, int height)
    {
        static int Even(double v) => (int)Math.Round(v / 2, MidpointRounding.AwayFromZero) * 2;
        int x = Even(Left * width), y = Even(Top * height);
        int right = Math.Min(width - width % 2, Even(Right * width)), bottom = Math.Min(height - height % 2, Even(Bottom * height));
        return new PixelBox(x, y, Math.Max(2, right - x), Math.Max(2, bottom - y));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[[{Top}, {Bottom}], [{Left}, {Right}]]");
}
