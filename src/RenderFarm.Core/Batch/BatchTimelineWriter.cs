using System.Buffers;
using System.Text;
using System.Text.Json;

namespace RenderFarm.Core.Batch;

/// <summary>What one output shows and says, ready to be written as an IMS Timeline.</summary>
internal sealed record OutputContent(
    IReadOnlyList<(PlannedShot Shot, double Gain, string? Transition)> Shots,
    IReadOnlyList<PlannedSpeech> Speech,
    bool SpeechIsMainTrack,
    string? Title,
    string? TitleMotionIn,
    string? TitleMotionOut,
    string? CaptionMotionIn,
    string? CaptionMotionOut,
    string? CaptionMotionLoop,
    Sticker? Sticker,
    MediaRef? Music,
    MediaRef? BackgroundImage);

/// <summary>
/// Writes an output as IMS Timeline JSON: a background image (GlobalImage, bottom), the shots
/// (Video/Image clips with their volume and transition), a sticker (GlobalImage, top); an audio
/// track of AI_TTS clips carrying an AI_ASR caption effect, and looped background music; the title
/// as a Text subtitle clip over the whole video. The main track is the voice-over when it covers the
/// whole video (Global Scripts with voice-over), otherwise the shots.
/// </summary>
internal static class BatchTimelineWriter
{
    public static string Timeline(OutputContent content, BatchEditing editing, double transitionSeconds)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("VideoTracks");
            if (content.BackgroundImage is { } background)
                GlobalImageTrack(w, background.Url, w2 =>
                {
                    w2.WriteNumber("Width", 1);
                    w2.WriteNumber("Height", 1);
                    w2.WriteString("AdaptMode", "Cover");
                });
            ShotTrack(w, content, transitionSeconds);
            if (content.Sticker is { } sticker)
                GlobalImageTrack(w, sticker.Media.Url, w2 =>
                {
                    Extent(w2, "X", sticker.X);
                    Extent(w2, "Y", sticker.Y);
                    Extent(w2, "Width", sticker.Width);
                    Extent(w2, "Height", sticker.Height);
                    if (sticker.Opacity < 1) Number(w2, "Opacity", sticker.Opacity);
                    if (sticker.DyncFrames is { } frames) w2.WriteNumber("DyncFrames", frames);
                });
            w.WriteEndArray();

            w.WriteStartArray("AudioTracks");
            if (content.Speech.Count > 0) SpeechTrack(w, content, editing);
            if (content.Music is { } music)
            {
                w.WriteStartObject();
                w.WriteStartArray("AudioTrackClips");
                w.WriteStartObject();
                w.WriteString("MediaURL", music.Url);
                // Looped without TimelineOut: the music runs to the end of the video, whatever sets its length.
                w.WriteBoolean("LoopMode", true);
                MusicEffects(w, editing.MusicVolume, editing.MusicDuckDb);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();

            if (content.Title is { } title)
            {
                w.WriteStartArray("SubtitleTracks");
                w.WriteStartObject();
                w.WriteStartArray("SubtitleTrackClips");
                w.WriteStartObject();
                w.WriteString("Type", "Text");
                w.WriteString("Content", title);
                Style(w, editing.TitleStyle, content.TitleMotionIn, content.TitleMotionOut, null);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string OutputMediaConfig(string mediaUrl, BatchOutput output)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("MediaURL", mediaUrl);
            w.WriteNumber("Width", output.Width);
            w.WriteNumber("Height", output.Height);
            if (output.Fps is { } fps) w.WriteNumber("Fps", fps);
            if (output.BitrateKbps is { } bitrate) w.WriteNumber("Bitrate", bitrate);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void ShotTrack(Utf8JsonWriter w, OutputContent content, double transitionSeconds)
    {
        w.WriteStartObject();
        if (!content.SpeechIsMainTrack) w.WriteBoolean("MainTrack", true);
        w.WriteStartArray("VideoTrackClips");
        foreach (var (shot, gain, transition) in content.Shots)
        {
            w.WriteStartObject();
            w.WriteString("Type", shot.IsImage ? "Image" : "Video");
            w.WriteString("MediaURL", shot.MediaUrl);
            if (shot.IsImage) Number(w, "Duration", shot.Seconds);
            else
            {
                Number(w, "In", shot.In);
                Number(w, "Out", shot.Out);
            }
            var volume = !shot.IsImage && gain != 1;
            if (volume || transition is not null)
            {
                w.WriteStartArray("Effects");
                if (volume) VolumeEffect(w, gain);
                if (transition is not null)
                {
                    w.WriteStartObject();
                    w.WriteString("Type", "Transition");
                    w.WriteString("SubType", transition);
                    Number(w, "Duration", transitionSeconds);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void SpeechTrack(Utf8JsonWriter w, OutputContent content, BatchEditing editing)
    {
        var speech = editing.Speech;
        w.WriteStartObject();
        if (content.SpeechIsMainTrack) w.WriteBoolean("MainTrack", true);
        w.WriteStartArray("AudioTrackClips");
        foreach (var line in content.Speech)
        {
            w.WriteStartObject();
            w.WriteString("Type", "AI_TTS");
            w.WriteString("Content", line.Text);
            if (line.Voice is not null) w.WriteString("Voice", line.Voice);
            if (speech.SpeechRate != 0) Number(w, "SpeechRate", speech.SpeechRate);
            Number(w, "TimelineIn", line.TimelineIn);
            w.WriteStartArray("Effects");
            if (speech.Volume != 1) VolumeEffect(w, speech.Volume);
            w.WriteStartObject();
            w.WriteString("Type", "AI_ASR");
            Style(w, speech.Captions, content.CaptionMotionIn, content.CaptionMotionOut, content.CaptionMotionLoop);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void GlobalImageTrack(Utf8JsonWriter w, string url, Action<Utf8JsonWriter> placement)
    {
        w.WriteStartObject();
        w.WriteStartArray("VideoTrackClips");
        w.WriteStartObject();
        w.WriteString("Type", "GlobalImage");
        w.WriteString("MediaURL", url);
        placement(w);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Style(Utf8JsonWriter w, TextStyleFields style, string? motionIn, string? motionOut, string? motionLoop)
    {
        foreach (var (name, value) in style.Fields)
        {
            w.WritePropertyName(name);
            value.WriteTo(w);
        }
        if (motionIn is not null) w.WriteString("AaiMotionInEffect", motionIn);
        if (motionOut is not null) w.WriteString("AaiMotionOutEffect", motionOut);
        if (motionLoop is not null) w.WriteString("AaiMotionLoopEffect", motionLoop);
    }

    private static void MusicEffects(Utf8JsonWriter w, double gain, double duckDb)
    {
        if (duckDb <= 0)
        {
            VolumeEffects(w, gain);
            return;
        }
        w.WriteStartArray("Effects");
        if (gain != 1) VolumeEffect(w, gain);
        w.WriteStartObject();
        w.WriteString("Type", "Duck");
        Number(w, "Depth", duckDb);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void VolumeEffects(Utf8JsonWriter w, double gain)
    {
        if (gain == 1) return;
        w.WriteStartArray("Effects");
        VolumeEffect(w, gain);
        w.WriteEndArray();
    }

    private static void VolumeEffect(Utf8JsonWriter w, double gain)
    {
        w.WriteStartObject();
        w.WriteString("Type", "Volume");
        Number(w, "Gain", gain);
        w.WriteEndObject();
    }

    private static void Extent(Utf8JsonWriter w, string name, Timelines.Extent? value)
    {
        if (value is { } v) Number(w, name, v.Value);
    }

    /// <summary>Milliseconds are enough for every time and level written here.</summary>
    private static void Number(Utf8JsonWriter w, string name, double value) => w.WriteNumber(name, Math.Round(value, 3));
}
