using RenderFarm.Core.Json;

namespace RenderFarm.AI.Tests;

/// <summary>SSML reading and sentence splitting (no engine).</summary>
public sealed class TextTests
{
    private static List<PlanStep> Plan(string content, Func<string, string>? normalize = null) =>
        SentenceSplitter.Plan(SsmlParser.Parse(content).Items, SentenceSplitter.DefaultEnglishCommaMinChars, normalize);

    [Fact]
    public void Chinese_text_splits_at_every_chinese_mark_including_commas()
    {
        SentenceSplitter.Split("他说：“今天很好。”然后走了；我们呢？大家、朋友们，再见！")
            .Should().Equal("他说：“今天很好。”", "然后走了；", "我们呢？", "大家、", "朋友们，", "再见！");
        SentenceSplitter.Split("你好,世界").Should().Equal("你好,", "世界");
    }

    [Fact]
    public void English_splits_at_end_marks_but_not_abbreviations_initials_or_decimals()
    {
        SentenceSplitter.Split("Dr. Smith met J. Doe at 3.5 p.m. today. Really?! Yes; \"Stop.\" He left...")
            .Should().Equal("Dr. Smith met J. Doe at 3.5 p.m. today.", "Really?!", "Yes;", "\"Stop.\"", "He left...");
    }

    [Fact]
    public void English_commas_split_only_long_sentences()
    {
        SentenceSplitter.Split("Short, and sweet.").Should().Equal("Short, and sweet.");
        SentenceSplitter.Split("When the render farm has finished every segment of the job, it assembles the output, and then it uploads it.")
            .Should().Equal("When the render farm has finished every segment of the job,", "it assembles the output, and then it uploads it.");
    }

    [Fact]
    public void Mixed_text_lines_and_stray_punctuation()
    {
        SentenceSplitter.Split("第一行\nSecond line\n\n。。").Should().Equal("第一行", "Second line。。");
        SentenceSplitter.Split("IMS支持SSML。It works.").Should().Equal("IMS支持SSML。", "It works.");
    }

    [Fact]
    public void Ssml_whitespace_is_collapsed_and_dropped_between_chinese_characters()
    {
        var steps = Plan("<speak>\n  欢迎\n  使用。\n  Hello\n   world.\n</speak>");
        steps.OfType<SentencePlan>().Select(s => s.Written).Should().Equal("欢迎使用。", "Hello world.");
    }

    [Fact]
    public void A_break_ends_the_sentence_and_consecutive_breaks_add_up()
    {
        var steps = Plan("<speak>One <break time=\"300ms\"/><break time=\"0.2s\"/> two.</speak>");
        steps.Should().HaveCount(3);
        steps[0].Should().BeOfType<SentencePlan>().Which.Written.Should().Be("One");
        steps[1].Should().BeOfType<SilencePlan>().Which.Seconds.Should().BeApproximately(0.5, 1e-9);
        steps[2].Should().BeOfType<SentencePlan>().Which.Written.Should().Be("two.");
    }

    [Fact]
    public void Styles_are_reopened_in_each_sentence_they_span()
    {
        var sentences = Plan("<speak><prosody rate=\"slow\" pitch=\"+10%\">One. Two &amp; <emphasis>three</emphasis>.</prosody></speak>").OfType<SentencePlan>().ToArray();
        sentences.Select(s => s.Ssml).Should().Equal(
            "<speak><prosody rate=\"slow\" pitch=\"+10%\">One.</prosody></speak>",
            "<speak><prosody rate=\"slow\" pitch=\"+10%\">Two &amp; </prosody><prosody rate=\"slow\" pitch=\"+10%\"><emphasis level=\"moderate\">three</emphasis></prosody><prosody rate=\"slow\" pitch=\"+10%\">.</prosody></speak>");
        sentences[1].Spoken.Should().Be("Two & three.");
    }

    [Fact]
    public void Plain_text_that_looks_like_markup_is_spoken_literally()
    {
        var sentence = Plan("a <b> & c").OfType<SentencePlan>().Single();
        sentence.Ssml.Should().Be("<speak>a &lt;b&gt; &amp; c</speak>");
    }

    [Fact]
    public void Say_as_forms()
    {
        var spoken = Plan("<speak><say-as interpret-as=\"telephone\">010-1234</say-as> <say-as interpret-as=\"cardinal\">1,234</say-as> <say-as interpret-as=\"characters\">abc</say-as></speak>")
            .OfType<SentencePlan>().Single();
        spoken.Written.Should().Be("010-1234 1,234 abc");
        spoken.Spoken.Should().Be("0 1 0, 1 2 3 4 1234 abc");
        spoken.Ssml.Should().Contain("<say-as interpret-as=\"characters\">abc</say-as>");
    }

    [Fact]
    public void Speak_attributes_override_the_clip_fields()
    {
        var document = SsmlParser.Parse("<speak xmlns=\"http://www.w3.org/2001/10/synthesis\" voice=\"emily\" rate=\"-200\" pitch=\"100\" volume=\"80\">Hi.</speak>");
        (document.Voice, document.Rate, document.Pitch, document.Volume).Should().Be(("emily", -200, 100, 80));
    }

    [Theory]
    [InlineData("<speak>Hi <b>there</speak>", "line 1, column")]
    [InlineData("<speak>Hi\n<break time=\"soon\"/></speak>", "line 2, column 2")]
    [InlineData("<speaker>Hi</speaker>", "must be <speak>")]
    [InlineData("<speak><!DOCTYPE x>Hi</speak>", "not well-formed")]
    public void Bad_ssml_is_a_content_error_with_its_position(string content, string expected)
    {
        var act = () => SsmlParser.Parse(content);
        var error = act.Should().Throw<RequestException>().Which;
        error.Path.Should().Be("Content");
        error.Message.Should().Contain(expected);
    }

    [Fact]
    public void Unsupported_speak_attributes_warn_and_an_xml_declaration_is_fine()
    {
        var document = SsmlParser.Parse("<?xml version=\"1.0\"?>\n<speak bgm=\"http://x/music.mp3\" encodeType=\"mp3\">Hi.</speak>");
        document.Warnings.Should().ContainSingle().Which.Should().Contain("bgm");
    }

    [Fact]
    public void Long_breaks_are_capped_with_a_warning()
    {
        var document = SsmlParser.Parse("<speak>a<break time=\"30s\"/>b</speak>");
        document.Items.OfType<BreakItem>().Single().Seconds.Should().Be(10);
        document.Warnings.Should().ContainSingle().Which.Should().Contain("10 s");
    }
}

/// <summary>Voice table and rate formulas.</summary>
public sealed class VoiceAndRateTests
{
    [Theory]
    [InlineData("zhichu", "cmn+m3", "cmn")]
    [InlineData("xiaoyun", "cmn+f3", "cmn")]
    [InlineData("Ruoxi", "cmn+f2", "cmn")]
    [InlineData("zhimiao_emo", "cmn+f3", "cmn")]
    [InlineData("jiajia", "yue+f3", "yue")]
    [InlineData("andy", "en-us+m3", "en-us")]
    [InlineData("emily", "en-gb+f3", "en-gb")]
    [InlineData("harry", "en-gb+m3", "en-gb")]
    public void Voices_map_to_espeak(string name, string espeak, string language)
    {
        var voice = VoiceCatalog.Resolve(name);
        (voice.Espeak, voice.Language).Should().Be((espeak, language));
    }

    [Fact]
    public void The_table_is_consistent()
    {
        VoiceCatalog.Names.Should().OnlyHaveUniqueItems();
        foreach (var v in VoiceCatalog.Entries)
        {
            v.Language.Should().BeOneOf("cmn", "yue", "en-us", "en-gb");
            v.Espeak.Should().MatchRegex(v.Gender == VoiceGender.Female ? @"^[a-z-]+\+f[1-5]$" : @"^[a-z-]+\+m[1-7]$");
        }
        foreach (var name in new[] { "zhichu", "zhiru", "zhimiao", "zhiyan", "zhida", "sicheng", "aixia", "aiya", "aijia", "ruoxi", "siqi", "sijia", "xiaoyun", "xiaogang",
                     "jiajia", "taozi", "andy", "annie", "emily", "harry", "abby", "luca", "luna", "william", "olivia", "eric", "ava" })
            VoiceCatalog.Find(name).Should().NotBeNull(name);
        VoiceCatalog.Resolve(null).Name.Should().Be(VoiceCatalog.DefaultVoice);
    }

    [Fact]
    public void A_comma_list_picks_deterministically_by_seed_and_spreads_over_seeds()
    {
        var picks = Enumerable.Range(0, 60).Select(i => VoiceCatalog.Resolve("andy, emily ,harry", $"seed-{i}").Name).ToArray();
        picks.Should().BeEquivalentTo(Enumerable.Range(0, 60).Select(i => VoiceCatalog.Resolve("andy,emily,harry", $"seed-{i}").Name), o => o.WithStrictOrdering());
        picks.Distinct().Should().BeEquivalentTo("andy", "emily", "harry");
        // Pinned values: the hash is FNV-1a, not string.GetHashCode, so these hold on every run and machine.
        VoiceCatalog.StableHash("").Should().Be(14695981039346656037UL);
        VoiceCatalog.StableHash("a").Should().Be(0xaf63dc4c8601ec8cUL);
    }

    [Fact]
    public void An_unknown_name_in_a_list_is_an_error()
    {
        var act = () => VoiceCatalog.Resolve("andy,bogus");
        act.Should().Throw<RequestException>().Which.Message.Should().Contain("'bogus'").And.Contain("known voices: ");
    }

    [Theory]
    [InlineData(-500, 0.5, 88, 1)]
    [InlineData(-250, 2.0 / 3, 117, 21)]
    [InlineData(0, 1.0, 175, 50)]
    [InlineData(250, 4.0 / 3, 233, 70)]
    [InlineData(500, 2.0, 350, 99)]
    public void Rates_map_by_the_alibaba_multiplier(int rate, double multiplier, int wpm, int pitch)
    {
        SpeechRates.Multiplier(rate).Should().BeApproximately(multiplier, 1e-9);
        SpeechRates.WordsPerMinute(rate).Should().Be(wpm);
        SpeechRates.Pitch(rate).Should().Be(pitch);
    }

    [Fact]
    public void Out_of_range_rates_name_their_field()
    {
        ((Action)(() => SpeechRates.WordsPerMinute(-501))).Should().Throw<RequestException>().Which.Path.Should().Be("SpeechRate");
        ((Action)(() => SpeechRates.Pitch(501))).Should().Throw<RequestException>().Which.Path.Should().Be("PitchRate");
    }
}

/// <summary>The README's voice table is the catalog.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public void The_readme_voice_table_matches_the_catalog()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RenderFarm.sln"))) dir = dir.Parent;
        dir.Should().NotBeNull("the tests run inside the repository");
        var rows = File.ReadAllLines(Path.Combine(dir!.FullName, "src", "RenderFarm.AI", "README.md"))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal) && l.Contains("` | ", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Where(c => c.Length == 7 && c[4].StartsWith('`'))
            .Select(c => $"{c[1].Trim('`')} {c[2]} {c[3]} {c[4].Trim('`')}")
            .ToArray();
        rows.Should().Equal(VoiceCatalog.Entries.Select(e => $"{e.Name} {e.Language} {e.Gender.ToString().ToLowerInvariant()} {e.Espeak}"));
    }
}
