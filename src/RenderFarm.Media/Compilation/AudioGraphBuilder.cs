using RenderFarm.Core.Planning;

namespace RenderFarm.Media.Compilation;

/// <summary>
/// Builds the audio half of a render: every audio source trimmed, sped, faded and delayed to its
/// place, mixed without normalisation (so Gain means what it says), padded to the exact timeline length.
/// Audio is always rendered for the whole timeline at once, never per segment.
/// </summary>
internal sealed class AudioGraphBuilder(FilterGraph graph, Schedule schedule, IReadOnlyDictionary<string, string> localPaths)
{
    private const string Format = "aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo";

    public string Build()
    {
        var duration = schedule.DurationSeconds;
        var streams = schedule.Audio.Select(Segment).ToList();
        string mixed;
        if (streams.Count == 0)
            mixed = graph.Source(FilterGraphText.Filter("anullsrc", ("r", EncoderSettings.AudioSampleRate), ("cl", "stereo")), Format);
        else if (streams.Count == 1)
            mixed = streams[0];
        else
            mixed = graph.Chain(streams, [FilterGraphText.Filter("amix", ("inputs", streams.Count), ("normalize", false), ("dropout_transition", 0), ("duration", "longest")), Format]);
        return graph.Chain(mixed,
            FilterGraphText.Filter("apad", ("whole_dur", duration)),
            FilterGraphText.Filter("atrim", ("end", duration)),
            "asetpts=PTS-STARTPTS");
    }

    private string Segment(AudioSegment s)
    {
        var sourceSeconds = s.Duration * s.Speed;
        var input = s.LoopLength is null
            ? graph.AddInput(MediaInput.Arguments(localPaths[s.MediaUrl], s.SourceStart, sourceSeconds + 0.1))
            : graph.AddInput(MediaInput.Arguments(localPaths[s.MediaUrl]));
        var filters = new List<string> { "aresample=48000", Format };
        if (s.LoopLength is { } loop)
        {
            filters.Add(FilterGraphText.Filter("atrim", ("start", s.SourceStart), ("duration", loop)));
            filters.Add("asetpts=PTS-STARTPTS");
            filters.Add(FilterGraphText.Filter("aloop", ("loop", -1), ("size", (long)Math.Round(loop * EncoderSettings.AudioSampleRate))));
        }
        filters.Add("asetpts=PTS-STARTPTS");
        filters.AddRange(Tempo(s.Speed));
        filters.Add(FilterGraphText.Filter("atrim", ("duration", s.Duration)));
        if (s.Effects.Gain != 1) filters.Add(FilterGraphText.Filter("volume", ("volume", s.Effects.Gain)));
        if (s.Effects.DuckDb > 0 && Ducking.Expression(SpeechSpans(s), s.Effects.DuckDb) is { } duck)
            filters.Add(FilterGraphText.Filter("volume", ("volume", duck), ("eval", "frame")));
        var fadeIn = Math.Min(s.Effects.FadeInSeconds, s.Duration);
        var fadeOut = Math.Min(s.Effects.FadeOutSeconds, s.Duration);
        if (fadeIn > 0) filters.Add(FilterGraphText.Filter("afade", ("t", "in"), ("st", 0), ("d", fadeIn)));
        if (fadeOut > 0) filters.Add(FilterGraphText.Filter("afade", ("t", "out"), ("st", s.Duration - fadeOut), ("d", fadeOut)));
        var delayMs = (long)Math.Round(s.TimelineStart * 1000);
        if (delayMs > 0) filters.Add(FilterGraphText.Filter("adelay", ("delays", delayMs), ("all", true)));
        return graph.Chain($"{input}:a", [.. filters]);
    }

    /// <summary>The timeline's speech (AI_TTS clips) in the time of segment <paramref name="s"/> (its filters run before it is delayed into place).</summary>
    private IReadOnlyList<(double Start, double End)> SpeechSpans(AudioSegment s) =>
        schedule.Audio.Where(a => a.IsSpeech).Select(a => (a.TimelineStart - s.TimelineStart, a.TimelineStart + a.Duration - s.TimelineStart)).ToList();

    /// <summary>atempo takes 0.5..2 per stage (ffmpeg 5.1 allows up to 100 but quality drops), so large factors chain.</summary>
    internal static IEnumerable<string> Tempo(double speed)
    {
        while (speed > 2.0001) { yield return "atempo=2"; speed /= 2; }
        while (speed < 0.4999) { yield return "atempo=0.5"; speed /= 0.5; }
        if (Math.Abs(speed - 1) > 1e-6) yield return FilterGraphText.Filter("atempo", ("tempo", speed));
    }
}
