using RenderFarm.TestSupport;

namespace RenderFarm.AI.Tests.Rendering;

/// <summary>The Duck effect (batch production's BackgroundMusicConfig.Ducking): music lowered under the timeline's AI_TTS speech.</summary>
public sealed class MusicDuckingRenderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Looped_music_with_a_Duck_effect_is_at_least_10_dB_lower_under_each_sentence_than_between_them()
    {
        new TestMedia(_dir.Path).ColourImage("black.png", "black", 320, 180);
        MixingMedia.Music(_dir.Path, 4);
        var json = """
            {"Timeline":{
              "VideoTracks":[{"VideoTrackClips":[{"Type":"Image","MediaURL":"black.png","Duration":11}]}],
              "AudioTracks":[
                {"AudioTrackClips":[{"Type":"AI_TTS","Voice":"andy","Content":"The first sentence is here.","TimelineIn":1},
                                    {"Type":"AI_TTS","Voice":"andy","Content":"And the second one follows.","TimelineIn":6.5}]},
                {"AudioTrackClips":[{"MediaURL":"music.wav","LoopMode":true,"Effects":[{"Type":"Volume","Gain":0.5},{"Type":"Duck","Depth":15}]}]}]},
             "OutputMediaConfig":{"Width":320,"Height":180,"Fps":10}}
            """;
        var (prepared, output) = await AiRender.RenderAsync(json, _dir.Path);
        var speech = prepared.Schedule.Audio.Where(a => a.IsSpeech).Select(a => (a.TimelineStart, End: a.TimelineStart + a.Duration)).ToList();
        speech.Should().HaveCount(2);
        var under = speech.Select(s => MixingMedia.ToneLevel(output, MixingMedia.MusicHz, s.TimelineStart + 0.3, s.End - 0.3)).ToList();
        var between = MixingMedia.ToneLevel(output, MixingMedia.MusicHz, speech[0].End + 0.6, speech[1].TimelineStart - 0.3);
        var before = MixingMedia.ToneLevel(output, MixingMedia.MusicHz, 0.1, speech[0].TimelineStart - 0.3);
        under.Max().Should().BeLessThan(between - 10, $"under speech {string.Join(", ", under.Select(u => u.ToString("0.0")))} dB, between {between:0.0} dB");
        before.Should().BeApproximately(between, 1, "the music is at its own level wherever no one speaks");
    }
}
