using RenderFarm.AI.Recognition;
using RenderFarm.Media.Ai;
using RenderFarm.TestSupport;

namespace RenderFarm.AI.Tests.Recognition;

/// <summary>The pure parts of recognition: reading pocketsphinx output, forming sentences, levels, chunk cuts.</summary>
public sealed class RecognitionPlanningTests
{
    [Fact]
    public void Pocketsphinx_output_gives_the_timed_segments_and_skips_hypothesis_lines()
    {
        const string stdout = """
            we got absolutely are
            <s> 0.000 0.190 0.999900
            we 0.200 0.340 0.198119
            the(2) 5.660 5.910 0.990643
            [NOISE] 5.920 6.000 0.999800
            i told the morning
            """;

        PocketsphinxOutput.Parse(stdout).Should().Equal(
            new RecognizedWord("<s>", 0, 0.19), new RecognizedWord("we", 0.2, 0.34),
            new RecognizedWord("the(2)", 5.66, 5.91), new RecognizedWord("[NOISE]", 5.92, 6.0));
    }

    [Fact]
    public void Fillers_are_dropped_variants_unmarked_and_text_cased_for_reading()
    {
        var words = Words(("<s>", 0.0, 0.1), ("i", 0.1, 0.2), ("think", 0.2, 0.5), ("<sil>", 0.5, 0.6), ("[NOISE]", 0.6, 0.7),
            ("i'm", 0.7, 0.9), ("the(2)", 0.9, 1.0), ("+SPN+", 1.0, 1.1), ("(s)", 1.1, 1.2), ("best", 1.2, 1.5), ("</s>", 1.5, 1.9));

        TranscriptSentences.Group(words, new SentenceRules()).Should().Equal(new TimedSentence("I think I'm the best", 0.1, 1.5));
    }

    [Fact]
    public void A_pause_of_at_least_the_threshold_ends_a_sentence()
    {
        var words = Words(("one", 0, 0.4), ("two", 0.89, 1.2), ("three", 1.7, 2.0), ("four", 2.0, 2.3));

        TranscriptSentences.Group(words, new SentenceRules(PauseSeconds: 0.5)).Should().Equal(
            new TimedSentence("One two", 0, 1.2), new TimedSentence("Three four", 1.7, 2.3));
    }

    [Fact]
    public void Too_long_a_sentence_is_split_at_its_longest_pause()
    {
        // 20 words, 0.3 s each, touching, except a 0.3 s pause before word 13 and 0.2 s before word 5.
        var words = new List<RecognizedWord>();
        var t = 0.0;
        for (var i = 1; i <= 20; i++)
        {
            if (i == 13) t += 0.3;
            if (i == 5) t += 0.2;
            words.Add(new RecognizedWord($"w{i}", t, t + 0.3));
            t += 0.3;
        }

        var byWords = TranscriptSentences.Group(words, new SentenceRules(MaxWords: 16, MaxSeconds: 60));
        var bySeconds = TranscriptSentences.Group(words, new SentenceRules(MaxWords: 100, MaxSeconds: 3));

        byWords.Select(s => s.Text.Split(' ').Length).Should().Equal(12, 8);
        // 3.8 s before the longest pause is cut again at the next longest, the 0.2 s one.
        bySeconds.Select(s => s.Text.Split(' ').Length).Should().Equal(4, 8, 8);
        bySeconds.Should().OnlyContain(s => s.End - s.Start <= 3);
    }

    [Fact]
    public void Rules_out_of_range_name_the_rule()
    {
        FluentActions.Invoking(() => TranscriptSentences.Group([], new SentenceRules(PauseSeconds: 0)))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("PauseSeconds");
        FluentActions.Invoking(() => new SentenceRules(MaxWords: 0).Check())
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("MaxWords");
        FluentActions.Invoking(() => new SentenceRules(MaxSeconds: 100).Check())
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("MaxSeconds");
    }

    [Fact]
    public void Speech_is_brought_to_the_target_level_and_silence_is_left_alone()
    {
        // A 1 kHz tone at half scale for 1 s (-9 dBFS RMS) after 1 s of silence, at 16 kHz.
        var samples = new short[32000];
        for (var i = 16000; i < 32000; i++) samples[i] = (short)(16384 * Math.Sin(2 * Math.PI * 1000 * i / 16000.0));

        SpeechLevel.ActiveLevelDbfs(samples, 16000).Should().BeApproximately(-9.03, 0.05, "silent blocks are gated out");
        SpeechLevel.Normalize(samples, 16000).Should().BeApproximately(SpeechLevel.TargetDbfs + 9.03, 0.05);
        SpeechLevel.ActiveLevelDbfs(samples, 16000).Should().BeApproximately(SpeechLevel.TargetDbfs, 0.05);

        var silence = new short[16000];
        silence[100] = 20; // -64 dBFS: below the silence gate
        SpeechLevel.Normalize(silence, 16000).Should().BeNull();
        silence[100].Should().Be(20);
    }

    [Fact]
    public void A_chunk_is_cut_at_a_pause_not_inside_a_sentence_that_crosses_the_nominal_length()
    {
        using var dir = new TempDir();
        // Speech at 20-22 s and 29-31 s (across the nominal 30 s) and from 40 s; cuts may fall in 15-45 s.
        var clip = new SpokenClip(dir.Path).Silence(20).Say("Please open the door.");
        clip.Silence(29 - clip.Duration).Say("I would like a cup of coffee this morning.");
        clip.Silence(40 - clip.Duration).Say("We will meet at the station at noon.").Silence(5);
        var wav = clip.ToWav();

        var cut = ChunkCut.QuietestPoint(wav.Samples, wav.SampleRate, 15, 45) / (double)wav.SampleRate;

        clip.Sentences.Should().OnlyContain(s => cut < s.Start || cut > s.End, $"the cut at {cut:0.00} s falls in a pause");
        cut.Should().BeApproximately(30, 1.6, "of the equally silent pauses, the one nearest the nominal length wins");
    }

    [Fact]
    public void The_quietest_moment_wins_over_a_merely_quiet_one()
    {
        var samples = new short[16000 * 20];
        for (var i = 0; i < samples.Length; i++) samples[i] = (short)(i % 2 == 0 ? 10000 : -10000);
        for (var i = 16000 * 12; i < 16000 * 13; i++) samples[i] = (short)(i % 2 == 0 ? 100 : -100); // quiet at 12-13 s
        for (var i = 16000 * 17; i < 16000 * 18; i++) samples[i] = 0;                              // silent at 17-18 s

        var cut = ChunkCut.QuietestPoint(samples, 16000, 10, 19) / 16000.0;

        cut.Should().BeInRange(17.1, 17.9);
    }

    private static List<RecognizedWord> Words(params (string Text, double Start, double End)[] words) =>
        [.. words.Select(w => new RecognizedWord(w.Text, w.Start, w.End))];
}
