using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using Xunit;
using static RenderFarm.Core.Tests.Batch.BatchFixture;

namespace RenderFarm.Core.Tests.Batch;

/// <summary>Planning Script-to-Video outputs: lengths from the voice-over facts, group order, variety, determinism.</summary>
public sealed class ScriptToVideoPlannerTests
{
    private static int GroupOf(string mediaUrl) => Array.FindIndex(GroupMedia, g => g.Contains(mediaUrl));

    [Fact]
    public void Ten_global_outputs_last_as_long_as_their_voice_over_and_use_every_script_and_distinct_shots()
    {
        var request = Parse(GlobalRequest(count: 10));
        var plan = new ScriptToVideoPlanner().Plan(request, Facts);

        plan.Outputs.Should().HaveCount(10);
        foreach (var output in plan.Outputs)
        {
            var speech = output.Speech.Should().ContainSingle().Subject;
            speech.Voice.Should().BeOneOf("en", "slow");
            var spoken = Spoken(new SpeechLine(speech.Text, speech.Voice, 0));
            ScheduledSeconds(output, request).Should().BeApproximately(spoken, 0.3, $"output {output.Index} speaks for {spoken:0.00} s");

            var timeline = JsonOf(output.TimelineJson);
            var voiceTrack = timeline.GetProperty("AudioTracks")[0];
            voiceTrack.GetProperty("MainTrack").GetBoolean().Should().BeTrue("the voice-over is the main track");
            var tts = voiceTrack.GetProperty("AudioTrackClips")[0];
            tts.GetProperty("Type").GetString().Should().Be("AI_TTS");
            tts.GetProperty("Content").GetString().Should().Be(speech.Text);
            tts.GetProperty("Effects").EnumerateArray().Should().Contain(e => e.GetProperty("Type").GetString() == "AI_ASR");

            var groups = output.Shots.Select(s => GroupOf(s.MediaUrl)).ToList();
            groups.Should().BeInAscendingOrder("shots follow the group order").And.Contain([0, 1, 2, 3]);
            groups.First().Should().Be(0);
            groups.Last().Should().Be(3, "extra shots come from the middle groups only");
        }
        plan.Outputs.Should().Contain(o => o.Shots.Count > 4, "long voice-overs need extra shots beyond one per group");
        plan.Outputs.Select(o => o.Speech[0].Text).Distinct().Should().BeEquivalentTo(Scripts, "every script is used");
        plan.Outputs.GroupBy(o => o.Speech[0].Text).Select(g => g.Count()).Should().OnlyContain(n => n >= 3, "no script repeats before all were used");
        plan.Outputs.Select(o => o.Sequence).Distinct().Should().HaveCount(10, "no two outputs show the same shots");
        plan.Diversity.DistinctSequences.Should().Be(10);
        plan.Diversity.MeanPairwiseDifference.Should().BeGreaterThan(0.5);
        plan.Outputs.Select(o => o.MediaUrl).Should().Equal(Enumerable.Range(1, 10).Select(i => $"out/video_{i}.mp4"));
    }

    [Fact]
    public void Every_planned_timeline_parses_and_its_output_config_is_the_requested_size()
    {
        var request = Parse(GlobalRequest(count: 10));
        foreach (var output in new ScriptToVideoPlanner().Plan(request, Facts).Outputs)
        {
            var job = ProducingJobRequest.Parse(output.ProducingJobJson);
            job.Output.Should().Be(new OutputMediaConfig(output.MediaUrl, 720, 1280, null, null));
            job.Timeline.VideoTracks.Should().HaveCount(2, "the shots and the sticker");
            job.Timeline.VideoTracks[0].Clips.Should().HaveCount(output.Shots.Count);
            job.Timeline.VideoTracks[0].Clips.SkipLast(1).Should().OnlyContain(c => c.Effects.Transition != null && c.Effects.Transition.Duration == 0.4);
            job.Timeline.VideoTracks[0].Clips.Where(c => c.Type == Timelines.VideoClipType.Video).Should().OnlyContain(c => c.Effects.Audio.Gain == 0, "MediaConfig.Volume 0 mutes the source");
            job.Timeline.VideoTracks[1].Clips.Should().ContainSingle(c => c.Type == Timelines.VideoClipType.GlobalImage && c.MediaUrl == "logo.png");
            job.Timeline.AudioTracks[1].Clips.Should().ContainSingle(c => c.Loop && c.Effects.Gain == 0.3 && (c.MediaUrl == "music/a.mp3" || c.MediaUrl == "music/b.mp3"));
            job.Timeline.SubtitleTracks.Should().ContainSingle().Which.Clips.Should().ContainSingle(c => c.Content == output.Title);
            job.Warnings.Should().BeEmpty("nothing the planner writes is unsupported");
        }
    }

    [Fact]
    public void Segmented_outputs_keep_the_group_order_and_show_each_group_only_its_own_media()
    {
        var request = Parse(SegmentedRequest(count: 6));
        request.Mode.Mode.Should().Be(BatchMode.ScriptToVideoSegmented);
        var plan = new ScriptToVideoPlanner().Plan(request, Facts);

        foreach (var output in plan.Outputs)
        {
            output.Shots.Select(s => s.Group).Should().BeInAscendingOrder().And.Contain([0, 1, 2, 3]);
            output.Shots.Should().OnlyContain(s => GroupMedia[s.Group].Contains(s.MediaUrl));

            // Groups 0, 1 and 3 speak; their Nth texts go together (equal counts, IMS rule).
            output.Speech.Select(s => s.Group).Should().Equal(0, 1, 3);
            output.Speech.Select(s => TextIndex(s)).Distinct().Should().ContainSingle();

            var starts = Enumerable.Range(0, 4).Select(g => output.Shots.First(s => s.Group == g).TimelineIn).ToList();
            var ends = starts.Skip(1).Append(output.DurationSeconds).ToList();
            foreach (var speech in output.Speech)
            {
                var g = speech.Group!.Value;
                starts[g].Should().BeApproximately(speech.TimelineIn, 0.01, "a group's voice-over starts with its pictures");
                (ends[g] - starts[g]).Should().BeApproximately(Spoken(new SpeechLine(speech.Text, speech.Voice, 100)), 0.01, "the group lasts as long as its text at SpeechRate 100");
            }
            (ends[2] - starts[2]).Should().BeApproximately(3, 0.01, "group 3 has no voice-over and lasts its Duration");

            // AverageSplit: every medium of group 2 once, in equal shares.
            var detail = output.Shots.Where(s => s.Group == 2).ToList();
            detail.Select(s => s.MediaUrl).Should().BeEquivalentTo(GroupMedia[2]);

            ScheduledSeconds(output, request).Should().BeApproximately(output.DurationSeconds, 0.1);
            var timeline = TestTimelines.Parse(output.TimelineJson).Timeline;
            timeline.VideoTracks[0].Clips.Should().ContainSingle(c => c.Type == Timelines.VideoClipType.GlobalImage && c.MediaUrl == "bg.jpg", "the background lies under the shots");
            timeline.VideoTracks[1].MainTrack.Should().BeTrue("the pictures carry the whole length when some groups are silent");
            timeline.VideoTracks[1].Clips.Where(c => GroupOf(c.MediaUrl) == 2 && c.Type == Timelines.VideoClipType.Video)
                .Should().OnlyContain(c => c.Effects.Audio.Gain == 0.5, "a group's Volume beats MediaConfig.Volume");
            JsonOf(output.TimelineJson).GetProperty("AudioTracks")[0].GetProperty("AudioTrackClips").EnumerateArray()
                .Should().OnlyContain(c => c.GetProperty("SpeechRate").GetDouble() == 100);
        }
        plan.Outputs.SelectMany(o => o.Speech.Where(s => s.Group == 0)).Select(s => s.Text).Distinct().Should().HaveCount(2, "both texts of a group are used");
    }

    private static int TextIndex(PlannedSpeech speech) =>
        SegmentedTexts[speech.Group!.Value]!.Select((t, i) => (t, i)).Single(x => x.t == speech.Text).i;

    private static readonly string[]?[] SegmentedTexts =
    [
        ["Welcome to the bakery.", "Hello from Main Street."],
        ["Bread is baked every morning at six, in a stone oven.", "Our croissants use butter from a farm nearby."],
        null,
        ["See you this weekend!", "Come by on Saturday!"],
    ];

    /// <summary>Groups 0, 1, 3 speak (two texts each), group 2 is silent for 3 s, split evenly, at half volume; over a background image, spoken 10 % faster.</summary>
    private static JsonObject SegmentedRequest(int count, int seed = 3) => Edit(Edit(GlobalRequest(count, seed), "InputConfig", i =>
    {
        i.Remove("SpeechTextArray");
        i["BackgroundImageArray"] = new JsonArray("bg.jpg");
        i["MediaGroupArray"] = Groups(g => g == 2
            ? new JsonObject { ["Duration"] = 3, ["SplitMode"] = "AverageSplit", ["Volume"] = 0.5 }
            : new JsonObject { ["SpeechTextArray"] = new JsonArray(SegmentedTexts[g]!.Select(t => (JsonNode)t!).ToArray()) });
    }), "EditingConfig", e => e["SpeechConfig"]!["SpeechRate"] = 100);

    [Fact]
    public void A_hundred_outputs_all_differ()
    {
        // Planning speed is the batch benchmark's (scripts/bench-batch.sh), not a timed test.
        var request = Parse(GlobalRequest(count: 100));
        var plan = new ScriptToVideoPlanner().Plan(request, Facts);
        plan.Outputs.Should().HaveCount(100);
        plan.Diversity.DistinctSequences.Should().Be(100);
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(6, 4)]
    public void Outputs_use_every_combination_before_any_repeats(int count, int distinct)
    {
        // Two groups of two pictures, no voice-over: one shot per group, so 2 x 2 = 4 possible sequences.
        var media = new Dictionary<string, MediaFacts>
        {
            ["a1.png"] = TestTimelines.Still(640, 360), ["a2.png"] = TestTimelines.Still(640, 360),
            ["b1.png"] = TestTimelines.Still(640, 360), ["b2.png"] = TestTimelines.Still(640, 360),
        };
        var request = Parse(new JsonObject
        {
            ["InputConfig"] = new JsonObject
            {
                ["MediaGroupArray"] = new JsonArray(
                    new JsonObject { ["GroupName"] = "a", ["MediaArray"] = new JsonArray("a1.png", "a2.png") },
                    new JsonObject { ["GroupName"] = "b", ["MediaArray"] = new JsonArray("b1.png", "b2.png") }),
            },
            ["OutputConfig"] = new JsonObject { ["MediaURL"] = "out_{index}.mp4", ["Count"] = count },
        });
        foreach (var seed in new[] { 1, 2, 3, 4, 5 })
        {
            var plan = new ScriptToVideoPlanner().Plan(request with { Seed = seed }, new BatchFacts(media, _ => null));
            plan.Diversity.DistinctSequences.Should().Be(distinct, "seed {0}: all {1} combinations are used before any repeats", seed, distinct);
            plan.Diversity.Count.Should().Be(count);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_plan_and_another_seed_a_different_one()
    {
        var first = Plan(GlobalRequest(count: 10, seed: 42));
        var again = Plan(GlobalRequest(count: 10, seed: 42));
        var other = Plan(GlobalRequest(count: 10, seed: 43));
        again.Outputs.Select(o => o.TimelineJson).Should().Equal(first.Outputs.Select(o => o.TimelineJson));
        other.Outputs.Select(o => o.Sequence).Should().NotEqual(first.Outputs.Select(o => o.Sequence));
    }

    [Fact]
    public void Without_voice_over_FixedDuration_sets_the_length()
    {
        var request = Parse(Edit(Edit(GlobalRequest(count: 4), "InputConfig", i => i.Remove("SpeechTextArray")), "OutputConfig", o => o["FixedDuration"] = 20));
        var plan = new ScriptToVideoPlanner().Plan(request, Facts);
        plan.Outputs.Should().OnlyContain(o => o.Speech.Count == 0);
        foreach (var output in plan.Outputs)
            ScheduledSeconds(output, request).Should().BeApproximately(20, 0.1);
    }

    [Fact]
    public void Without_voice_over_one_shot_per_group_is_capped_at_MaxDuration()
    {
        var uncapped = Parse(Edit(GlobalRequest(count: 3), "InputConfig", i => i.Remove("SpeechTextArray")));
        foreach (var output in new ScriptToVideoPlanner().Plan(uncapped, Facts).Outputs)
        {
            output.Shots.Select(s => s.Group).Should().Equal(0, 1, 2, 3);
            ScheduledSeconds(output, uncapped).Should().BeGreaterThan(8);
        }
        var capped = Parse(Edit(Edit(GlobalRequest(count: 3), "InputConfig", i => i.Remove("SpeechTextArray")), "OutputConfig", o => o["MaxDuration"] = 6));
        foreach (var output in new ScriptToVideoPlanner().Plan(capped, Facts).Outputs)
        {
            output.Shots.Select(s => s.Group).Should().Equal(0, 1, 2, 3);
            ScheduledSeconds(output, capped).Should().BeApproximately(6, 0.1);
        }
    }

    [Fact]
    public void A_voice_over_longer_than_MaxDuration_still_decides_the_length_and_is_reported()
    {
        var request = Parse(Edit(GlobalRequest(count: 3), "OutputConfig", o => o["MaxDuration"] = 4));
        var plan = new ScriptToVideoPlanner().Plan(request, Facts);
        plan.Outputs.Should().OnlyContain(o => o.DurationSeconds > 4);
        plan.Warnings.Should().ContainSingle(w => w.Path == "OutputConfig.MaxDuration" && w.Message.Contains("output(s) 1, 2, 3"));
    }

    [Fact]
    public void Missing_facts_are_errors_naming_the_field_the_media_or_text_came_from()
    {
        var request = Parse(GlobalRequest(count: 2));
        var noMedia = new BatchFacts(Media.Where(m => m.Key != "body/b.mp4").ToDictionary(), line => Spoken(line));
        var noSpeech = new BatchFacts(Media, line => line.Text == Scripts[1] ? null : Spoken(line));

        Error(() => new ScriptToVideoPlanner().Plan(request, noMedia)).Should().Be(
            "InputConfig.MediaGroupArray[1].MediaArray[1]: no media facts for 'body/b.mp4': the medium could not be probed");
        Error(() => new ScriptToVideoPlanner().Plan(Parse(GlobalRequest(count: 3)), noSpeech)).Should().StartWith(
            "InputConfig.SpeechTextArray[1]: no spoken duration is known for this text in voice ");
    }

    [Fact]
    public void A_sound_file_in_a_group_is_an_error_naming_it()
    {
        var request = Parse(Edit(GlobalRequest(count: 1), "InputConfig", i => i["MediaGroupArray"]![3]!["MediaArray"]!.AsArray().Add("voice.wav")));
        Error(() => new ScriptToVideoPlanner().Plan(request, Facts)).Should().Be(
            "InputConfig.MediaGroupArray[3].MediaArray[2]: 'voice.wav' has no picture; a video or image is needed here");
    }

    [Fact]
    public void The_facts_needed_list_every_medium_and_every_text_in_every_voice()
    {
        var needed = FactsNeeded.For(Parse(GlobalRequest()));
        needed.MediaUrls.Should().Contain(GroupMedia.SelectMany(g => g)).And.Contain(["music/a.mp3", "music/b.mp3", "logo.png"]);
        needed.SpeechLines.Should().HaveCount(Scripts.Length * 2).And.Contain(new SpeechLine(Scripts[0], "slow", 0));
    }

    private static string Error(Action act) => act.Should().Throw<RequestException>().Which.Message;
}
