using RenderFarm.Core.Json;

namespace RenderFarm.AI.Tests;

/// <summary>The synthesizer over the real espeak-ng: timing, breaks, substitutions, voices, rates, the cache.</summary>
public sealed class EspeakSynthesisTests : IDisposable
{
    private readonly Speech _speech = new();

    public void Dispose() => _speech.Dispose();

    [Fact]
    public async Task Sentence_times_tile_the_wav_and_the_last_end_is_its_duration()
    {
        var result = await _speech.Say("The render farm starts at nine. It renders every timeline in order! Does it ever stop? Never.");
        var wav = WavFile.Read(result.WavPath);

        wav.SampleRate.Should().Be(22050);
        result.Sentences.Select(s => s.Written).Should().Equal(
            "The render farm starts at nine.", "It renders every timeline in order!", "Does it ever stop?", "Never.");
        result.Sentences[0].Start.Should().Be(0);
        for (var i = 1; i < result.Sentences.Count; i++)
            result.Sentences[i].Start.Should().BeApproximately(result.Sentences[i - 1].End, 1e-9, "sentences without a break abut");
        wav.DurationSeconds.Should().BeApproximately(result.DurationSeconds, 1e-9);
        result.Sentences[^1].End.Should().BeApproximately(wav.DurationSeconds, 0.020);
        foreach (var s in result.Sentences)
        {
            var start = (int)(s.Start * wav.SampleRate);
            var count = (int)((s.End - s.Start) * wav.SampleRate);
            wav.Rms(start, count).Should().BeGreaterThan(0.02, $"\"{s.Written}\" is spoken inside its span");
            // Each sentence starts and ends with exactly the 50 ms pad of (near) silence.
            wav.Rms(start, (int)(0.045 * wav.SampleRate)).Should().BeLessThan(0.01);
            wav.Rms(start + count - (int)(0.045 * wav.SampleRate), (int)(0.045 * wav.SampleRate)).Should().BeLessThan(0.01);
        }
        result.Warnings.Should().BeEmpty();
    }

    [Fact]
    public async Task A_break_adds_exactly_its_silence_between_two_sentences()
    {
        var withBreak = await _speech.Say("<speak>The first sentence ends here.<break time=\"1500ms\"/>The second one follows.</speak>");
        var without = await _speech.Say("<speak>The first sentence ends here. The second one follows.</speak>");
        var wav = WavFile.Read(withBreak.WavPath);

        withBreak.Sentences.Should().HaveCount(2);
        var (first, second) = (withBreak.Sentences[0], withBreak.Sentences[1]);
        (second.Start - first.End).Should().BeApproximately(1.5, 1.0 / 22050);
        wav.Rms((int)(first.End * 22050), (int)(1.5 * 22050)).Should().BeLessThan(0.001, "the break is silence");

        // Measured on the samples alone: the longest silent stretch grows by the break's length.
        var added = Audio.LongestSilence(wav) - Audio.LongestSilence(WavFile.Read(without.WavPath));
        added.Should().BeApproximately(1.5, 0.1);
        withBreak.DurationSeconds.Should().BeApproximately(without.DurationSeconds + 1.5, 0.1);
    }

    [Fact]
    public async Task Strength_breaks_and_seconds_are_understood()
    {
        var result = await _speech.Say("<speak>One.<break time=\"2s\"/>Two.<break strength=\"x-weak\"/>Three.</speak>");
        result.Sentences.Should().HaveCount(3);
        (result.Sentences[1].Start - result.Sentences[0].End).Should().BeApproximately(2.0, 1e-4);
        (result.Sentences[2].Start - result.Sentences[1].End).Should().BeApproximately(0.25, 1e-4);
    }

    [Fact]
    public async Task A_sub_alias_is_spoken_while_the_caption_keeps_the_written_form()
    {
        var sub = await _speech.Say("<speak><sub alias=\"Pee You\">PU</sub></speak>");
        var plain = await _speech.Say("PU");

        sub.DurationSeconds.Should().BeGreaterThan(plain.DurationSeconds);
        sub.Sentences.Should().ContainSingle().Which.Should().Match<SpokenSentence>(s => s.Written == "PU" && s.Spoken == "Pee You");

        var inSentence = await _speech.Say("<speak>The <sub alias=\"World Wide Web Consortium\">W3C</sub> wrote SSML.</speak>");
        inSentence.Sentences.Should().ContainSingle().Which.Written.Should().Be("The W3C wrote SSML.");
        inSentence.Sentences[0].Spoken.Should().Be("The World Wide Web Consortium wrote SSML.");
    }

    [Fact]
    public async Task Mandarin_with_zhichu_gives_audio_split_at_chinese_punctuation()
    {
        var result = await _speech.Say("欢迎使用渲染农场，今天我们介绍语音合成。它支持中文、英文和粤语！", voice: "zhichu");
        var wav = WavFile.Read(result.WavPath);

        result.Sentences.Select(s => s.Written).Should().Equal("欢迎使用渲染农场，", "今天我们介绍语音合成。", "它支持中文、", "英文和粤语！");
        result.DurationSeconds.Should().BeGreaterThan(2);
        wav.Rms(0, wav.Samples.Length).Should().BeGreaterThan(0.02);
        result.Sentences[^1].End.Should().BeApproximately(result.DurationSeconds, 0.020);
    }

    [Fact]
    public async Task Cantonese_voices_speak_too()
    {
        var result = await _speech.Say("你好，世界。", voice: "jiajia");
        result.Sentences.Should().HaveCount(2);
        WavFile.Read(result.WavPath).Rms(0, int.MaxValue).Should().BeGreaterThan(0.02);
    }

    [Fact]
    public async Task An_unknown_voice_is_an_error_listing_the_known_voices()
    {
        var act = () => _speech.Say("Hello.", voice: "nobody");
        var error = (await act.Should().ThrowAsync<RequestException>()).Which;
        error.Path.Should().Be("Voice");
        error.Message.Should().Contain("'nobody'").And.Contain("zhichu").And.Contain("xiaoyun").And.Contain("andy").And.Contain("jiajia");
        _speech.Engine.ProcessStarts.Should().Be(0, "the voice is checked before espeak runs");
    }

    [Fact]
    public async Task Faster_rates_give_shorter_audio()
    {
        const string text = "Rendering a timeline takes longer when the voice speaks slowly.";
        var fast = await _speech.Say(text, rate: 500);
        var normal = await _speech.Say(text, rate: 0);
        var slow = await _speech.Say(text, rate: -500);

        fast.DurationSeconds.Should().BeLessThan(normal.DurationSeconds);
        normal.DurationSeconds.Should().BeLessThan(slow.DurationSeconds);
        (slow.DurationSeconds / fast.DurationSeconds).Should().BeGreaterThan(2.5, "-500 is 0.5x and 500 is 2x, a 4x ratio of speeds");
    }

    [Fact]
    public async Task Rates_outside_the_range_are_errors_naming_the_field()
    {
        var act = () => _speech.Say("Hello.", rate: 501);
        (await act.Should().ThrowAsync<RequestException>()).Which.Path.Should().Be("SpeechRate");
        act = () => _speech.Say("Hello.", pitch: -501);
        (await act.Should().ThrowAsync<RequestException>()).Which.Path.Should().Be("PitchRate");
        act = () => _speech.Say("<speak rate=\"900\">Hello.</speak>");
        (await act.Should().ThrowAsync<RequestException>()).Which.Message.Should().Contain("rate");
    }

    [Fact]
    public async Task The_same_request_again_is_served_from_the_cache_without_starting_espeak()
    {
        var first = await _speech.Say("Cache me. Twice, please.", rate: 100, pitch: -100);
        var starts = _speech.Engine.ProcessStarts;
        starts.Should().BeGreaterThan(0);

        var second = await _speech.Say("Cache me. Twice, please.", rate: 100, pitch: -100);
        _speech.Engine.ProcessStarts.Should().Be(starts, "a cache hit runs no espeak");
        second.WavPath.Should().Be(first.WavPath);
        second.Sentences.Should().Equal(first.Sentences);
        second.DurationSeconds.Should().Be(first.DurationSeconds);

        // Another synthesizer on the same directory (same engine instance, whose version is known) hits too.
        var again = new SpeechSynthesizer(_speech.Engine, _speech.Directory);
        (await again.SynthesizeAsync(new TtsRequest("Cache me. Twice, please.", "andy", 100, -100), TestContext.Current.CancellationToken))
            .Sentences.Should().Equal(first.Sentences);
        _speech.Engine.ProcessStarts.Should().Be(starts);

        // Any change of input misses.
        await _speech.Say("Cache me. Twice, please.", rate: 100, pitch: -99);
        _speech.Engine.ProcessStarts.Should().BeGreaterThan(starts);
    }

    [Fact]
    public async Task An_unknown_tag_is_stripped_with_a_warning_and_never_spoken()
    {
        var tagged = await _speech.Say("<speak>Hello <soundEvent src=\"https://example.com/ding.wav\"/>wonderful <unknownthing>world</unknownthing>.</speak>");
        var plain = await _speech.Say("Hello wonderful world.");

        tagged.Warnings.Should().HaveCount(2);
        tagged.Warnings.Should().Contain(w => w.Contains("<soundEvent>")).And.Contain(w => w.Contains("<unknownthing>"));
        tagged.Sentences.Should().ContainSingle().Which.Spoken.Should().Be("Hello wonderful world.");
        tagged.DurationSeconds.Should().BeApproximately(plain.DurationSeconds, plain.DurationSeconds * 0.10);
    }

    [Fact]
    public async Task Prosody_and_emphasis_reach_espeak()
    {
        var slow = await _speech.Say("<speak><prosody rate=\"x-slow\">This sentence is slow.</prosody></speak>");
        var normal = await _speech.Say("<speak>This sentence is slow.</speak>");
        slow.DurationSeconds.Should().BeGreaterThan(normal.DurationSeconds * 1.2);
        slow.Warnings.Should().BeEmpty();

        var odd = await _speech.Say("<speak><prosody rate=\"fast\" contour=\"(0%,+20Hz)\">Fast words.</prosody> <emphasis level=\"strong\">Strong words.</emphasis></speak>");
        odd.Warnings.Should().ContainSingle().Which.Should().Contain("contour");
        odd.Sentences.Should().HaveCount(2);
    }

    [Fact]
    public async Task Say_as_digits_and_characters_are_spoken_differently_from_the_number()
    {
        var number = await _speech.Say("<speak>Call 2026.</speak>");
        var digits = await _speech.Say("<speak>Call <say-as interpret-as=\"digits\">2026</say-as>.</speak>");
        var date = await _speech.Say("<speak>On <say-as interpret-as=\"date\">2026-01-02</say-as>.</speak>");

        digits.Sentences.Should().ContainSingle().Which.Should().Match<SpokenSentence>(s => s.Written == "Call 2026." && s.Spoken == "Call 2 0 2 6.");
        number.Sentences[0].Spoken.Should().Be("Call 2026.");
        digits.DurationSeconds.Should().NotBeApproximately(number.DurationSeconds, 0.05);
        date.Warnings.Should().ContainSingle().Which.Should().Contain("date");
    }

    [Fact]
    public async Task Malformed_ssml_is_an_error_with_its_position()
    {
        var act = () => _speech.Say("<speak>Hello <break time=\"1s\">world</speak>");
        var error = (await act.Should().ThrowAsync<RequestException>()).Which;
        error.Path.Should().Be("Content");
        error.Message.Should().Contain("line 1, column").And.Contain("not well-formed");
        _speech.Engine.ProcessStarts.Should().Be(0);
    }

    [Fact]
    public async Task Percentages_are_read_in_chinese_by_chinese_voices()
    {
        var result = await _speech.Say("增长了45%。", voice: "xiaoyun");
        result.Sentences.Should().ContainSingle().Which.Should().Match<SpokenSentence>(s => s.Written == "增长了45%。" && s.Spoken == "增长了百分之45。");
    }

    [Fact]
    public async Task A_voice_list_picks_one_voice_by_seed()
    {
        var a = await _speech.Synthesizer.SynthesizeAsync(new TtsRequest("Hello there.", "andy,emily,harry", VoiceSeed: "job-1/clip-3"), TestContext.Current.CancellationToken);
        var b = await _speech.Synthesizer.SynthesizeAsync(new TtsRequest("Hello there.", "andy,emily,harry", VoiceSeed: "job-1/clip-3"), TestContext.Current.CancellationToken);
        b.WavPath.Should().Be(a.WavPath, "the same seed picks the same voice, so the same cache entry");
    }
}
