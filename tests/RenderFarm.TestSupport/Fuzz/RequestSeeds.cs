namespace RenderFarm.TestSupport.Fuzz;

/// <summary>
/// Valid request bodies to mutate: every one is accepted as it stands (RenderFarm.Core.Tests checks that),
/// so whatever a mutant is refused for comes from its mutation. The batch bodies name the voices
/// <see cref="Voices"/>; a caller that checks voices passes those.
/// </summary>
public static class RequestSeeds
{
    /// <summary>The voices the batch bodies use (give them to the parser as the known voices).</summary>
    public static readonly IReadOnlyList<string> Voices = ["en", "slow", "zh"];

    /// <summary>SubmitMediaProducingJob bodies: Timeline and OutputMediaConfig as JSON strings (IMS) and as objects, and a bare Timeline.</summary>
    public static readonly IReadOnlyList<string> ProducingJobs =
    [
        // The IMS form: Timeline and OutputMediaConfig are strings holding JSON.
        """{"Timeline":"{\"VideoTracks\":[{\"VideoTrackClips\":[{\"MediaURL\":\"a.mp4\",\"In\":0,\"Out\":3}]}]}","OutputMediaConfig":"{\"MediaURL\":\"out/a.mp4\",\"Width\":640,\"Height\":360}","ClientToken":"token-1","UserData":"{\"NotifyAddress\":\"\"}"}""",
        """
        {
          "Timeline": {
            "VideoTracks": [
              {"MainTrack": true, "VideoTrackClips": [
                {"MediaURL": "clips/a.mp4", "In": 1, "Out": 4, "Speed": 1.5, "ClipId": "a",
                 "Effects": [{"Type": "Volume", "Gain": 0.5}, {"Type": "Transition", "SubType": "fade", "Duration": 0.5},
                             {"Type": "AFade", "SubType": "In", "Duration": 1}, {"Type": "Crop", "X": 0, "Y": 0, "Width": 0.5, "Height": 0.5}]},
                {"MediaURL": "pics/b.png", "Type": "Image", "Duration": 2, "X": 0.1, "Y": 0.1, "Width": 0.5, "Height": 0.5, "AdaptMode": "Contain",
                 "Effects": [{"Type": "Background", "SubType": "Color", "Color": "#102030"}]}
              ]},
              {"VideoTrackClips": [{"MediaURL": "logo.png", "Type": "GlobalImage", "X": 0.8, "Y": 0.05, "Width": 0.15, "Height": 0.1}]},
              {"Type": "Effect", "VideoTrackClips": [{"Type": "VFX", "SubType": "mosaic_rect", "X": 0.1, "Width": 0.2, "TimelineIn": 0, "TimelineOut": 2}]}
            ],
            "AudioTracks": [
              {"AudioTrackClips": [{"MediaURL": "music.mp3", "In": 0, "Out": 5, "LoopMode": true, "ReferenceClipId": "a",
                                    "Effects": [{"Type": "Volume", "Gain": 0.3}, {"Type": "AFade", "SubType": "Out", "Duration": 2}]}]},
              {"AudioTrackClips": [{"Type": "AI_TTS", "Content": "Hello and welcome", "Voice": "en", "SpeechRate": 10,
                                    "Effects": [{"Type": "AI_ASR", "FontSize": 40, "FontColor": "#FFFF00", "Alignment": "BottomCenter",
                                                 "NeedHighlighting": true, "HighlightingStyle": {"FontColor": "#FF0000"}}]}]}
            ],
            "SubtitleTrackClips": [],
            "SubtitleTracks": [
              {"SubtitleTrackClips": [{"Type": "Text", "Content": "Title", "TimelineIn": 0, "TimelineOut": 2, "FontSize": 60,
                                       "FontColor": "#FFFFFF", "Alignment": "TopCenter", "Y": 0.1, "AdaptMode": "AutoWrap", "TextWidth": 0.9,
                                       "FontFace": {"Bold": true}, "AaiMotionInEffect": "fade_in", "AaiMotionIn": 0.5,
                                       "SubtitleEffects": [{"Type": "Box", "Color": "#000000", "Opacity": 0.5}]}]}
            ]
          },
          "OutputMediaConfig": {"MediaURL": "out/b.mp4", "Width": 1280, "Height": 720, "Bitrate": 4000, "Video": "{\"Fps\":30}"},
          "Seed": 3
        }
        """,
        """{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"green.mp4","Effects":[{"Type":"AI_Matting","Color":"green","Thres":20}]},{"MediaURL":"person.mp4","Effects":[{"Type":"AI_RealMatting"}]}]}],"EffectTracks":[{"EffectTrackItems":[{"Type":"Filter","SubType":"warm","TimelineIn":0,"Duration":2}]}]},"OutputMediaConfig":{"MediaURL":"file:///srv/out/c.mp4","Fps":25}}""",
        // A bare Timeline is accepted too.
        """{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"a.mp4","TimelineIn":1,"TimelineOut":3}]}],"AudioTracks":[{"AudioTrackClips":[{"MediaURL":"b.wav"}]}]}""",
    ];

    /// <summary>SubmitBatchMediaProducingJob bodies (InputConfig form): Global and Segmented Scripts, Image-Text Matching global and storyboard.</summary>
    public static readonly IReadOnlyList<string> BatchJobs =
    [
        """
        {
          "InputConfig": "{\"MediaGroupArray\":[{\"GroupName\":\"open\",\"MediaArray\":[\"open/a.mp4\",\"open/b.png\"]},{\"GroupName\":\"body\",\"MediaArray\":[\"body/a.mp4\"]}],\"SpeechTextArray\":[\"Our new store opens this weekend.\",\"Fresh bread every morning.\"],\"TitleArray\":[\"Grand opening\"],\"StickerArray\":[{\"MediaURL\":\"logo.png\",\"X\":0.8,\"Y\":0.05,\"Width\":0.15,\"Height\":0.08}],\"BackgroundMusicArray\":[\"music/a.mp3\"]}",
          "EditingConfig": {
            "MediaConfig": {"Volume": 0},
            "SpeechConfig": {"Voice": "en,slow", "Volume": 1, "SpeechRate": 0,
                             "AsrConfig": {"FontSize": 52, "FontColor": "#FFFF00", "AaiMotionInEffect": "fade_in,wave_in"}},
            "TitleConfig": {"FontColor": "#FFFFFF", "Alignment": "TopCenter"},
            "BackgroundMusicConfig": {"Volume": 0.3},
            "ProcessConfig": {"SingleShotDuration": 3, "AllowTransition": true, "TransitionList": ["fade", "wipeleft"], "TransitionDuration": 0.4}
          },
          "OutputConfig": {"MediaURL": "out/video_{index}.mp4", "Count": 3, "Width": 720, "Height": 1280},
          "ClientToken": "batch-1",
          "Seed": 7
        }
        """,
        """{"InputConfig":{"MediaGroupArray":[{"GroupName":"a","MediaArray":["a/1.mp4","a/2.mp4"],"SpeechTextArray":["First part."],"SplitMode":"AverageSplit","Volume":0.5},{"GroupName":"b","MediaArray":["b/1.mp4"],"Duration":4}],"Title":"One title","BackgroundImageArray":["bg.jpg"]},"EditingConfig":"{\"SpeechConfig\":{\"Voice\":\"zh\"},\"ProcessConfig\":{\"AlignmentMode\":\"Cut\",\"ImageDuration\":2}}","OutputConfig":"{\"MediaURL\":\"out/seg_{index}.mp4\",\"Count\":2,\"MaxDuration\":60,\"Fps\":25,\"Bitrate\":3000}"}""",
        """{"InputConfig":{"MediaArray":["m/1.mp4","m/2.jpg","m/3.mp4"],"SpeechTextArray":["A bakery at dawn. Bread on the shelves."]},"EditingConfig":{"SpeechConfig":{"Voice":"en"}},"OutputConfig":{"FileName":"match.mp4","GeneratePreviewOnly":true}}""",
        """{"InputConfig":{"MediaSearchInput":{"LibSearchCondition":{"SearchLibs":["main"],"SearchText":"bread"}},"SceneInfo":"{\"ShotInfo\":[{\"ScriptText\":\"Bread on the shelves\"}]}"},"OutputConfig":{"MediaURL":"story.mp4"},"UserData":{"k":"v"}}""",
    ];
}
