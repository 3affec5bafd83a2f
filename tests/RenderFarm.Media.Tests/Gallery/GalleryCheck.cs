using System.Globalization;
using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Media.Tests.Rendering;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Gallery;

namespace RenderFarm.Media.Tests.Gallery;

/// <summary>
/// Renders a catalog's gallery samples through the real renderer and checks what the contact sheet
/// shows: every name changes the picture against the plain clip, and no two names of the catalog
/// look the same at their mid-effect moment.
/// </summary>
/// <remarks>
/// One render per sample would cost a process start, a graph build and an encoder set-up each (about
/// a second of CPU), so samples are laid one after another on one timeline, each in its own
/// <see cref="SlotSeconds"/> slot, and rendered in a few batches; each frame is then read at its
/// slot's offset plus the sample's moment. Every sample starts at a slot boundary and its effects count
/// from its own clips, so it looks as it does alone.
/// </remarks>
internal static class GalleryCheck
{
    /// <summary>Longer than any sample (two 2 s clips joined by a transition at most 4 s).</summary>
    private const double SlotSeconds = 4;

    private const int SamplesPerRender = 40;

    /// <summary>The frame at each sample's moment, by name (the baseline under its own name).</summary>
    public static async Task<IReadOnlyDictionary<string, (byte[] Rgb, int Width, int Height)>> RenderAsync(
        GalleryMedia media, IReadOnlyList<GallerySample> samples, GallerySample baseline)
    {
        var all = samples.Prepend(baseline).ToList();
        all.Select(s => s.Name).Should().OnlyHaveUniqueItems("a catalog lists each name once");
        var batches = all.Chunk(SamplesPerRender).ToList();
        var frames = new (byte[] Rgb, int Width, int Height)[batches.Count][];
        await Parallel.ForEachAsync(Enumerable.Range(0, batches.Count), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (b, _) =>
        {
            var batch = batches[b];
            var output = await LocalRender.RenderAsync(Combine(batch), media.Directory, $"{batch[0].Catalog}-{b:D2}.mp4");
            var indices = batch.Select((s, i) => (long)Math.Round((i * SlotSeconds + s.AtSeconds) * media.Fps)).ToList();
            var select = string.Join("+", indices.Select(n => $"eq(n\\,{n})"));
            var rgb = Tool.Ffmpeg("-i", output, "-vf", $"select={select}", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
            File.Delete(output);
            var size = media.Width * media.Height * 3;
            rgb.Length.Should().Be(size * batch.Length, $"the render shows every sample of {batch[0].Catalog} batch {b}");
            frames[b] = Enumerable.Range(0, batch.Length).Select(i => (rgb[(i * size)..((i + 1) * size)], media.Width, media.Height)).ToArray();
        });
        return all.Zip(frames.SelectMany(f => f)).ToDictionary(p => p.First.Name, p => p.Second);
    }

    /// <summary>
    /// Asserts every sample differs from the baseline by more than <paramref name="minChange"/> and from
    /// every other sample by more than <paramref name="minDistinct"/> (mean absolute difference, 0-255 levels).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, (byte[] Rgb, int Width, int Height)>> AssertDistinctAsync(
        GalleryMedia media, IReadOnlyList<GallerySample> samples, GallerySample baseline, double minChange = 2, double minDistinct = 1)
    {
        var frames = await RenderAsync(media, samples, baseline);
        var plain = frames[baseline.Name];
        var unchanged = samples.Where(s => Difference(frames[s.Name], plain) <= minChange)
            .Select(s => $"{s.Name} ({Difference(frames[s.Name], plain):0.00})").ToList();
        unchanged.Should().BeEmpty("every name changes the picture against the plain clip");
        var alike = new List<string>();
        for (var i = 0; i < samples.Count; i++)
        for (var j = i + 1; j < samples.Count; j++)
        {
            var d = Difference(frames[samples[i].Name], frames[samples[j].Name]);
            if (d <= minDistinct) alike.Add($"{samples[i].Name} = {samples[j].Name} ({d:0.00})");
        }
        alike.Should().BeEmpty("no two names of a catalog look the same");
        return frames;
    }

    /// <summary>Mean absolute difference of two frames over all channels (0-255).</summary>
    public static double Difference((byte[] Rgb, int Width, int Height) a, (byte[] Rgb, int Width, int Height) b)
    {
        a.Rgb.Length.Should().Be(b.Rgb.Length, "gallery frames share one output size");
        long sum = 0;
        for (var i = 0; i < a.Rgb.Length; i++) sum += Math.Abs(a.Rgb[i] - b.Rgb[i]);
        return (double)sum / a.Rgb.Length;
    }

    /// <summary>
    /// One request showing the samples one after another: sample i's tracks join the combined tracks of the
    /// same kind and index, moved to start at i x <see cref="SlotSeconds"/>. A track's first clip is placed
    /// there (the others follow it, as on their own); given TimelineIn/TimelineOut move with it; an effect
    /// item or subtitle without an end ends with the gallery clip.
    /// </summary>
    internal static string Combine(IReadOnlyList<GallerySample> samples)
    {
        var timeline = new JsonObject();
        JsonNode? output = null;
        for (var i = 0; i < samples.Count; i++)
        {
            var request = JsonNode.Parse(samples[i].RequestJson)!.AsObject();
            output ??= request["OutputMediaConfig"]?.DeepClone();
            var offset = i * SlotSeconds;
            foreach (var (kind, tracks) in request["Timeline"]!.AsObject())
            {
                var combined = (timeline[kind] ??= new JsonArray()).AsArray();
                var list = tracks!.AsArray();
                for (var t = 0; t < list.Count; t++)
                {
                    var track = list[t]!.AsObject();
                    if (combined.Count <= t) combined.Add(CloneWithoutItems(track));
                    foreach (var (field, items) in track)
                    {
                        if (items is not JsonArray array) continue;
                        var target = (combined[t]!.AsObject()[field] ??= new JsonArray()).AsArray();
                        for (var c = 0; c < array.Count; c++)
                            target.Add(Shift(array[c]!.DeepClone().AsObject(), offset, first: c == 0, openEnded: kind is "EffectTracks" or "SubtitleTracks" || track["Type"]?.GetValue<string>() == "Effect"));
                    }
                }
            }
        }
        var body = new JsonObject { ["Timeline"] = timeline };
        if (output is not null) body["OutputMediaConfig"] = output;
        return body.ToJsonString();
    }

    private static JsonObject CloneWithoutItems(JsonObject track)
    {
        var clone = new JsonObject();
        foreach (var (name, value) in track)
            if (value is not JsonArray) clone[name] = value?.DeepClone();
        return clone;
    }

    private static JsonObject Shift(JsonObject clip, double offset, bool first, bool openEnded)
    {
        double? Read(string name) => clip[name] is { } v ? double.Parse(v.ToString(), CultureInfo.InvariantCulture) : null;
        var (timelineIn, timelineOut) = (Read("TimelineIn"), Read("TimelineOut"));
        if (timelineIn is { } tin) clip["TimelineIn"] = tin + offset;
        else if (first || openEnded) clip["TimelineIn"] = offset;
        if (timelineOut is { } tout) clip["TimelineOut"] = tout + offset;
        else if (openEnded && Read("Duration") is null) clip["TimelineOut"] = (timelineIn ?? 0) + offset + GalleryMedia.ClipSeconds;
        return clip;
    }
}
