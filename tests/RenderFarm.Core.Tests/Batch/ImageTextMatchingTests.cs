using System.Globalization;
using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Batch.Matching;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using Xunit;
using static RenderFarm.Core.Tests.Batch.MatchingFixture;

namespace RenderFarm.Core.Tests.Batch;

/// <summary>Image-Text Matching: relevance ranking, sentence-to-shot assignment, coverage of the spoken time, timelines.</summary>
public sealed class ImageTextMatchingTests(ITestOutputHelper log)
{
    /// <summary>The library as shots: a per-shot text carries its medium's whole-medium text too.</summary>
    private static List<MediaText> Documents() =>
        Texts.GroupBy(t => t.MediaUrl).SelectMany(g =>
        {
            var whole = MediaText.Combine(g.Key, g.Where(t => !t.IsShot));
            var ranged = g.Where(t => t.IsShot).Select(t => t.With(whole)).ToList();
            return ranged.Count > 0 ? ranged : [whole];
        }).ToList();

    public static TheoryData<string> Languages => new() { "English", "Chinese" };

    private static (string Sentence, string Media, double? In)[] ScriptOf(string language) => language == "English" ? English : Chinese;

    [Theory]
    [MemberData(nameof(Languages))]
    public void The_rankers_top_pick_is_the_described_shot_for_at_least_7_of_8_sentences(string language)
    {
        var documents = Documents();
        documents.Should().HaveCountGreaterThanOrEqualTo(20);
        var ranker = new TextRelevanceRanker(documents);
        var right = 0;
        foreach (var (sentence, media, shotIn) in ScriptOf(language))
        {
            var scores = ranker.Scores(sentence);
            var ranked = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ToList();
            var top = documents[ranked[0]];
            var hit = top.MediaUrl == media && (shotIn is null || top.In == shotIn);
            if (hit) right++;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(hit ? "ok  " : "MISS")} {scores[ranked[0]],6:0.00} {top.MediaUrl}@{top.In ?? 0} (next {scores[ranked[1]]:0.00} {documents[ranked[1]].MediaUrl}) <- {sentence}"));
            scores[ranked[0]].Should().BeGreaterThan(0);
        }
        right.Should().BeGreaterThanOrEqualTo(7, "the sentences name what the shots show");
    }

    [Fact]
    public void English_words_match_by_stem_and_Chinese_by_character_ngrams()
    {
        TextTerms.Of("The bakers baked bakeries' loaves").Should().Equal("baker", "bak", "bakery", "loav");
        RenderFarm.Core.Text.EnglishStemmer.Stem("baking").Should().Be(RenderFarm.Core.Text.EnglishStemmer.Stem("bake"));
        TextTerms.Of("大熊猫").Should().Equal("大", "大熊", "熊", "熊猫", "猫");
        TextTerms.Of("我的猫").Should().ContainSingle().Which.Should().Be("猫", "我 and 的 are function characters");
        var ranker = new TextRelevanceRanker([new MediaText("a", Title: "小猫咪"), new MediaText("b", Title: "小狗")]);
        var scores = ranker.Scores("猫");
        scores[0].Should().BeGreaterThan(0, "a one-character word matches through its character");
        scores[1].Should().Be(0);
    }

    [Fact]
    public void Title_and_tags_weigh_more_than_transcript()
    {
        var ranker = new TextRelevanceRanker(
        [
            new MediaText("said", Transcript: "we talked about the harbour"),
            new MediaText("shown", Title: "Harbour at dawn"),
            new MediaText("other", Title: "Forest"),
        ]);
        var scores = ranker.Scores("The harbour wakes up.");
        scores[1].Should().BeGreaterThan(scores[0]);
    }

    [Fact]
    public void Scripts_split_into_sentences_at_Chinese_and_English_punctuation()
    {
        Sentences.Split("第一句。第二句！第三句？“引用。”Fourth one. Fifth? 5.5 stays; sixth\nseventh…")
            .Should().Equal("第一句。", "第二句！", "第三句？", "“引用。”", "Fourth one.", "Fifth?", "5.5 stays;", "sixth", "seventh…");
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Each_sentence_gets_its_shot_no_shot_repeats_and_the_spoken_time_is_covered(string language)
    {
        var script = ScriptOf(language);
        var request = BatchFixture.Parse(GlobalRequest(Script(script, language == "English" ? " " : "")));
        request.Mode.Mode.Should().Be(BatchMode.ImageTextMatchingGlobal);
        var plan = new ImageTextMatchingPlanner().Plan(request, Facts);
        var output = plan.Outputs.Should().ContainSingle().Subject;

        output.Speech.Select(s => s.Text).Should().Equal(script.Select(s => s.Sentence), "one AI_TTS clip per sentence");
        var right = 0;
        for (var i = 0; i < script.Length; i++)
        {
            var speech = output.Speech[i];
            speech.Seconds.Should().BeApproximately(Spoken(new SpeechLine(speech.Text, null, 0)), 1e-9);
            var shots = output.Shots.Where(s => s.TimelineIn >= speech.TimelineIn - 1e-9 && s.TimelineIn < speech.TimelineIn + speech.Seconds - 1e-9).ToList();
            shots.Sum(s => s.Seconds).Should().BeApproximately(speech.Seconds, 0.1, $"the shots cover '{speech.Text}'");
            if (shots[0].MediaUrl == script[i].Media && (script[i].In is not { } at || Math.Abs(shots[0].In - at) < 1e-6)) right++;
            log.WriteLine($"{speech.Seconds:0.00}s {speech.Text} -> {string.Join(", ", shots.Select(s => $"{s.Key}+{s.Seconds:0.00}"))}");
        }
        right.Should().BeGreaterThanOrEqualTo(7);
        output.Shots.Select(s => s.Key).Should().OnlyHaveUniqueItems("unused shots remain, so none is shown twice");
        output.Shots.Should().Contain(s => s.MediaUrl == script[2].Media || s.MediaUrl == script[0].Media);
        output.DurationSeconds.Should().BeApproximately(output.Speech.Sum(s => s.Seconds), 1e-6);
        ScheduledSeconds(output, request).Should().BeApproximately(output.DurationSeconds, 0.1, "the renderer's schedule lasts as long as the voice-over");
    }

    [Fact]
    public void A_shot_shorter_than_its_sentence_is_joined_by_the_next_and_a_longer_one_is_trimmed()
    {
        var request = BatchFixture.Parse(GlobalRequest(Script(English, " ")));
        var output = new ImageTextMatchingPlanner().Plan(request, Facts).Outputs[0];
        var beach = output.Speech[0];
        beach.Seconds.Should().BeGreaterThan(3, "the beach video (3 s) is shorter than its sentence");
        var shots = output.Shots.Where(s => s.TimelineIn < beach.Seconds - 1e-9).ToList();
        shots.Should().HaveCountGreaterThan(1);
        shots[0].Should().Match<PlannedShot>(s => s.MediaUrl == "lib/beach.mp4" && s.In == 0 && Math.Abs(s.Out - 3) < 1e-9, "the best match is shown whole");
        var city = output.Shots.Single(s => s.MediaUrl == "lib/city.mp4" && s.In == 0);
        city.Out.Should().BeLessThan(5, "the 5 s skyline shot is trimmed to its sentence").And.BeGreaterThan(0);
    }

    [Fact]
    public void Every_planned_timeline_parses_with_transitions_and_lasts_as_long_as_the_voice_over()
    {
        var request = BatchFixture.Parse(GlobalRequest(Script(English, " "), count: 3, transitions: true));
        var plan = new ImageTextMatchingPlanner().Plan(request, Facts);
        plan.Outputs.Should().HaveCount(3);
        foreach (var output in plan.Outputs)
        {
            var job = ProducingJobRequest.Parse(output.ProducingJobJson);
            job.Warnings.Should().BeEmpty();
            job.Output.Should().Be(new OutputMediaConfig(output.MediaUrl, 720, 1280, null, null));
            job.Timeline.VideoTracks[0].Clips.Should().HaveCount(output.Shots.Count);
            job.Timeline.VideoTracks[0].Clips.SkipLast(1).Should().OnlyContain(c => c.Effects.Transition != null && c.Effects.Transition.Duration == 0.3);
            job.Timeline.VideoTracks[1].Clips.Should().ContainSingle(c => c.MediaUrl == "logo.png");
            job.Timeline.AudioTracks[0].Clips.Should().HaveCount(English.Length).And.OnlyContain(c => c.Speech != null);
            job.Timeline.SubtitleTracks.Should().ContainSingle().Which.Clips.Should().ContainSingle(c => c.Content == "Our town");
            ScheduledSeconds(output, request).Should().BeApproximately(output.Speech.Sum(s => s.Seconds), 0.1);
        }
        plan.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void More_outputs_vary_among_near_equal_shots_and_a_seed_gives_the_same_plan()
    {
        // The bakery video (12 s) splits into four 3 s shots with the same text: each output should show another.
        var json = GlobalRequest(Script(English, " "), count: 4);
        var plan = new ImageTextMatchingPlanner().Plan(BatchFixture.Parse(json), Facts);
        var bakery = plan.Outputs.Select(o => o.Shots.Where(s => s.MediaUrl == "lib/bakery.mp4").Select(s => s.In).ToList()).ToList();
        bakery[0].Should().HaveCount(2, "the 4.2 s sentence needs two 3 s pieces");
        bakery[0].Concat(bakery[1]).Should().OnlyHaveUniqueItems("the second output shows the pieces the first did not: near-equal shots are shared out");
        plan.Diversity.DistinctSequences.Should().Be(4);
        foreach (var output in plan.Outputs)
            output.Shots.Should().Contain(s => s.MediaUrl == "lib/factory.mp4" && s.TimelineIn >= output.Speech[7].TimelineIn - 1e-9, "relevance is kept in every output");

        var again = new ImageTextMatchingPlanner().Plan(BatchFixture.Parse(json), Facts);
        again.Outputs.Select(o => o.TimelineJson).Should().Equal(plan.Outputs.Select(o => o.TimelineJson));
        var other = new ImageTextMatchingPlanner().Plan(BatchFixture.Parse(GlobalRequest(Script(English, " "), count: 4, seed: 12)), Facts);
        other.Outputs.Select(o => o.Sequence).Should().NotEqual(plan.Outputs.Select(o => o.Sequence));
    }

    [Fact]
    public void Shots_are_reused_only_when_every_shot_is_used()
    {
        var input = new JsonObject { ["MediaArray"] = new JsonArray("lib/beach.mp4", "lib/rain.mp4"), ["SpeechTextArray"] = new JsonArray(Script(English, " ")) };
        var output = new ImageTextMatchingPlanner().Plan(BatchFixture.Parse(Request(input)), Facts).Outputs[0];
        var firstEight = output.Shots.Take(2).Select(s => s.Key).ToList();
        firstEight.Should().OnlyHaveUniqueItems();
        output.Shots.Select(s => s.Key).Distinct().Should().HaveCount(2, "two shots exist, both are used before any repeats");
        output.Shots.Sum(s => s.Seconds).Should().BeApproximately(output.Speech.Sum(s => s.Seconds), 0.1);
    }

    [Fact]
    public void Storyboard_shots_last_their_duration_or_voice_over_and_show_what_their_script_describes()
    {
        var scene = new JsonObject
        {
            ["Scene"] = "General",
            ["ShotInfo"] = new JsonObject
            {
                ["ShotScripts"] = new JsonArray(
                    new JsonObject { ["ScriptText"] = "Snowy mountain summit", ["SpeechText"] = "Up we go.", ["Duration"] = 6 },
                    new JsonObject { ["ScriptText"] = "大熊猫吃竹子", ["SpeechText"] = "" , ["Duration"] = 2.5 },
                    new JsonObject { ["ScriptText"] = "Rain falls on the window during the storm." },
                    new JsonObject { ["ScriptText"] = "A dog running", ["SpeechText"] = "This sentence is spoken for longer than its duration allows.", ["Duration"] = 1 }),
            },
        };
        var request = BatchFixture.Parse(Request(new JsonObject { ["SceneInfo"] = scene.ToJsonString() }));
        request.Mode.Mode.Should().Be(BatchMode.ImageTextMatchingStoryboard);
        var plan = new ImageTextMatchingPlanner().Plan(request, Facts);
        var output = plan.Outputs.Single();

        var rain = "Rain falls on the window during the storm.";
        var longLine = "This sentence is spoken for longer than its duration allows.";
        var lengths = new[] { 6, 2.5, Spoken(new SpeechLine(rain, null, 0)), Spoken(new SpeechLine(longLine, null, 0)) };
        var starts = new[] { 0, 6, 8.5, 8.5 + lengths[2] };
        var media = new[] { "lib/mountain.mp4", "lib/panda.mp4", "lib/rain.mp4", "lib/dog.mp4" };
        for (var i = 0; i < 4; i++)
        {
            var shots = output.Shots.Where(s => s.TimelineIn >= starts[i] - 1e-9 && s.TimelineIn < starts[i] + lengths[i] - 1e-9).ToList();
            shots[0].MediaUrl.Should().Be(media[i]);
            shots.Sum(s => s.Seconds).Should().BeApproximately(lengths[i], 0.1, $"storyboard shot {i} lasts {lengths[i]:0.00} s");
        }
        output.Speech.Select(s => (s.Text, s.TimelineIn)).Should().Equal(("Up we go.", 0), (rain, 8.5), (longLine, starts[3]));
        output.DurationSeconds.Should().BeApproximately(lengths.Sum(), 1e-6);
        ScheduledSeconds(output, request).Should().BeApproximately(lengths.Sum(), 0.1);
        plan.Warnings.Should().ContainSingle(w => w.Path == "InputConfig.SceneInfo.ShotInfo.ShotScripts[3].Duration");
        ProducingJobRequest.Parse(output.ProducingJobJson).Timeline.VideoTracks[0].Clips.Should().HaveCount(output.Shots.Count);
    }

    [Fact]
    public void The_mode_decision_selects_this_planner_for_Image_Text_Matching_requests()
    {
        IBatchPlanner[] planners = [new ScriptToVideoPlanner(), new ImageTextMatchingPlanner()];
        var global = BatchFixture.Parse(GlobalRequest("One sentence."));
        var storyboard = BatchFixture.Parse(Request(new JsonObject { ["SceneInfo"] = """{"ShotInfo":{"ShotScripts":[{"ScriptText":"a beach"}]}}""" }));
        var scriptToVideo = BatchFixture.Parse(BatchFixture.GlobalRequest());
        planners.Single(p => p.Supports(global.Mode.Mode)).Should().BeOfType<ImageTextMatchingPlanner>();
        planners.Single(p => p.Supports(storyboard.Mode.Mode)).Should().BeOfType<ImageTextMatchingPlanner>();
        planners.Single(p => p.Supports(scriptToVideo.Mode.Mode)).Should().BeOfType<ScriptToVideoPlanner>();
        var act = () => new ImageTextMatchingPlanner().Plan(scriptToVideo, BatchFixture.Facts);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Facts_needed_list_every_sentence_and_errors_name_the_field()
    {
        var request = BatchFixture.Parse(GlobalRequest(Script(Chinese, "")));
        new ImageTextMatchingPlanner().FactsNeeded(request).SpeechLines.Select(l => l.Text).Should().Equal(Chinese.Select(s => s.Sentence));

        var noSpeech = new MatchingFacts(new BatchFacts(Media, _ => null), Texts);
        Error(() => new ImageTextMatchingPlanner().Plan(request, noSpeech)).Path.Should().Be("InputConfig.SpeechTextArray[0]");

        var search = BatchFixture.Parse(Request(new JsonObject { ["MediaSearchInput"] = new JsonObject { ["SearchText"] = "x" }, ["SpeechTextArray"] = new JsonArray("Hi.") }, media: false));
        Error(() => new ImageTextMatchingPlanner().Plan(search, Facts)).Path.Should().Be("InputConfig.MediaSearchInput",
            "the node resolves a library search into media before planning; unresolved, there is nothing to match");

        var noText = BatchFixture.Parse(Request(new JsonObject { ["SceneInfo"] = """{"ShotInfo":{"ShotScripts":[{"Duration":2}]}}""" }));
        Error(() => new ImageTextMatchingPlanner().Plan(noText, Facts)).Path.Should().Be("InputConfig.SceneInfo.ShotInfo.ShotScripts[0].ScriptText");

        var plain = new ImageTextMatchingPlanner().Plan(BatchFixture.Parse(GlobalRequest("A beach at sunset.")), new BatchFacts(Media, line => Spoken(line)));
        plain.Warnings.Should().ContainSingle(w => w.Path == "InputConfig.MediaArray" && w.Message.StartsWith("no media texts are known"));
        plain.Outputs.Single().Shots.Sum(s => s.Seconds).Should().BeApproximately(Spoken(new SpeechLine("A beach at sunset.", null, 0)), 0.1);
    }

    private static RequestException Error(Action act)
    {
        var error = act.Should().Throw<RequestException>().Which;
        TestTimelines.ShouldBeOneLine(error);
        return error;
    }
}
