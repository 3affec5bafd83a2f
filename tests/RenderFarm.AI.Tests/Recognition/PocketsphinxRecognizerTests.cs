using System.Diagnostics;
using RenderFarm.AI.Recognition;
using RenderFarm.Media.Ai;
using RenderFarm.TestSupport;

namespace RenderFarm.AI.Tests.Recognition;

/// <summary>The recogniser over the real pocketsphinx and ffmpeg, with espeak-ng as the speaker.</summary>
public sealed class PocketsphinxRecognizerTests : IDisposable
{
    private const string Fox = "The quick brown fox jumps over the lazy dog.";
    private const string Coffee = "I would like a cup of coffee this morning.";
    private const string Door = "Please open the door and turn on the light.";
    private const string Station = "We will meet at the station at noon.";

    /// <summary>Recognised sentence edges must lie within this many seconds of the sound's edges (measured: within 0.07 s).</summary>
    private const double EdgeTolerance = 0.3;

    /// <summary>
    /// Words right per sentence. Measured with this voice: 0.67-1.0 per sentence, 0.857 over eight
    /// sentences (<see cref="Eight_sentences_are_recognised_with_at_least_80_percent_of_the_words_right"/>).
    /// </summary>
    private const double MinWordsRightPerSentence = 0.6;

    private readonly TempDir _dir = new();
    private readonly string _cache;

    public PocketsphinxRecognizerTests() => _cache = _dir.File("cache");

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SpokenClip Clip() => new(_dir.Path);

    [Fact]
    public async Task Two_sentences_apart_give_two_captions_at_the_speech_edges_with_most_words_right()
    {
        var clip = Clip().Silence(0.5).Say(Fox).Silence(1.5).Say(Coffee).Silence(0.5);
        var recognizer = new PocketsphinxRecognizer(_cache);

        var sentences = await recognizer.TranscribeAsync(clip.Write("two.wav"), 0, clip.Duration, Ct);

        Report(sentences);
        sentences.Should().HaveCount(2);
        ShouldMatch(sentences[0], clip.Sentences[0], 0);
        ShouldMatch(sentences[1], clip.Sentences[1], 0);
        SpokenClip.WordsRight(Fox + " " + Coffee, sentences[0].Text + " " + sentences[1].Text)
            .Should().BeGreaterThanOrEqualTo(0.75, "15 of 18 words were right when measured");
        sentences.Should().OnlyContain(s => char.IsUpper(s.Text[0]) && !s.Text.Contains('<') && !s.Text.Contains('('));
        recognizer.RecognizerRuns.Should().Be(1);
    }

    [Fact]
    public async Task Eight_sentences_are_recognised_with_at_least_80_percent_of_the_words_right()
    {
        string[] texts = [Fox, Coffee, Door, Station, "She reads a book every night before bed.", "The weather is nice today.",
            "My brother works in a large hospital.", "Can you tell me where the bank is?"];
        var clip = Clip().Silence(0.5);
        foreach (var text in texts) clip.Say(text).Silence(1.5);

        var sentences = await new PocketsphinxRecognizer(_cache).TranscribeAsync(clip.Write("eight.wav"), 0, clip.Duration, Ct);

        Report(sentences);
        sentences.Should().HaveCount(texts.Length);
        for (var i = 0; i < texts.Length; i++)
        {
            sentences[i].Start.Should().BeApproximately(clip.Sentences[i].Start, EdgeTolerance);
            sentences[i].End.Should().BeApproximately(clip.Sentences[i].End, EdgeTolerance);
        }
        SpokenClip.WordsRight(string.Join(' ', texts), string.Join(' ', sentences.Select(s => s.Text)))
            .Should().BeGreaterThanOrEqualTo(0.80, "0.857 (54 of 63 words) was measured");
    }

    [Fact]
    public async Task A_range_in_the_middle_gives_its_sentences_with_times_from_the_range_start()
    {
        var clip = Clip().Silence(0.5).Say(Fox).Silence(1.5).Say(Coffee).Silence(1.5).Say(Door).Silence(1.5).Say(Station).Silence(0.5);
        var start = clip.Sentences[0].End + 0.75;
        var end = clip.Sentences[2].End + 0.75;

        var sentences = await new PocketsphinxRecognizer(_cache).TranscribeAsync(clip.Write("four.wav"), start, end, Ct);

        Report(sentences);
        sentences.Should().HaveCount(2, "only the coffee and door sentences lie in the range");
        ShouldMatch(sentences[0], clip.Sentences[1], start);
        ShouldMatch(sentences[1], clip.Sentences[2], start);
    }

    [Fact]
    public async Task Long_audio_is_cut_at_a_pause_so_a_sentence_across_the_nominal_cut_stays_whole()
    {
        // Chunks of 30 s: the coffee sentence spans 29-31 s, so a cut at exactly 30 s would split it.
        var clip = Clip().Silence(10).Say(Fox);
        clip.Silence(29 - clip.Duration).Say(Coffee);
        clip.Silence(50 - clip.Duration).Say(Door).Silence(1);
        var recognizer = new PocketsphinxRecognizer(_cache, new PocketsphinxOptions { ChunkSeconds = 30 });

        var sentences = await recognizer.TranscribeAsync(clip.Write("long.wav"), 0, clip.Duration, Ct);

        Report(sentences);
        recognizer.RecognizerRuns.Should().Be(2, "62 s in chunks of about 30 s");
        sentences.Should().HaveCount(3);
        for (var i = 0; i < 3; i++) ShouldMatch(sentences[i], clip.Sentences[i], 0);
    }

    [Fact]
    public async Task A_video_with_an_audio_stream_is_transcribed_and_a_second_call_is_served_from_the_cache()
    {
        var clip = Clip().Silence(0.5).Say(Fox).Silence(1.5).Say(Coffee).Silence(0.5);
        var video = _dir.File("talk.mp4");
        Tool.Ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=25", "-i", clip.Write("talk.wav"), "-shortest",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", video);
        var recognizer = new PocketsphinxRecognizer(_cache);

        var first = await recognizer.TranscribeAsync(video, 0, clip.Duration, Ct);

        Report(first);
        first.Should().HaveCount(2);
        ShouldMatch(first[0], clip.Sentences[0], 0);
        ShouldMatch(first[1], clip.Sentences[1], 0);
        recognizer.ProcessStarts.Should().Be(3, "ffprobe, ffmpeg and one pocketsphinx run");

        var again = await recognizer.TranscribeAsync(video, 0, clip.Duration, Ct);
        var fresh = new PocketsphinxRecognizer(_cache);
        var fromDisk = await fresh.TranscribeAsync(video, 0, clip.Duration, Ct);

        again.Should().Equal(first);
        fromDisk.Should().Equal(first);
        recognizer.ProcessStarts.Should().Be(3, "the second call starts no process");
        fresh.ProcessStarts.Should().Be(0, "the cache is on disk, not in the instance");
        Directory.GetFiles(_cache, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public async Task Silence_and_a_video_without_audio_give_no_sentences_and_no_recogniser_run()
    {
        var silent = _dir.File("silent.wav");
        Tool.Ffmpeg("-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", "3", silent);
        var mute = new TestMedia(_dir.File("media")).PatternVideo("mute.mp4", 2);
        var recognizer = new PocketsphinxRecognizer(_cache);

        (await recognizer.TranscribeAsync(silent, 0, 3, Ct)).Should().BeEmpty();
        (await recognizer.TranscribeAsync(mute, 0, 2, Ct)).Should().BeEmpty();

        recognizer.RecognizerRuns.Should().Be(0, "there is no sound to recognise");
    }

    [Fact]
    public async Task A_changed_file_is_not_served_from_the_cache()
    {
        var silent = _dir.File("silent.wav");
        Tool.Ffmpeg("-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "2", silent);
        var recognizer = new PocketsphinxRecognizer(_cache);
        await recognizer.TranscribeAsync(silent, 0, 2, Ct);
        var starts = recognizer.ProcessStarts;

        File.SetLastWriteTimeUtc(silent, File.GetLastWriteTimeUtc(silent).AddSeconds(5));
        await recognizer.TranscribeAsync(silent, 0, 2, Ct);

        recognizer.ProcessStarts.Should().Be(2 * starts, "a new modification time is a new media identity: probed and decoded again");
    }

    [Fact]
    public async Task Cancelling_kills_the_running_recogniser()
    {
        var clip = Clip().Say(Fox).Silence(0.5).Say(Coffee).Silence(0.5).Say(Door).Silence(0.5).Say(Station);
        for (var i = 0; i < 3; i++) clip.Silence(0.5).Say(Fox).Silence(0.5).Say(Coffee);
        var path = clip.Write("cancel.wav");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var transcription = new PocketsphinxRecognizer(_cache).TranscribeAsync(path, 0, clip.Duration, cancel.Token);

        var watch = Stopwatch.StartNew();
        while (RecognisersUnder(_cache).Count == 0 && !transcription.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(10, Ct);
        RecognisersUnder(_cache).Should().NotBeEmpty("pocketsphinx is running on the clip");
        cancel.Cancel();

        await FluentActions.Awaiting(() => transcription).Should().ThrowAsync<OperationCanceledException>();
        RecognisersUnder(_cache).Should().BeEmpty("the process was killed and reaped");
    }

    [Fact]
    public async Task A_run_over_its_time_limit_is_stopped_with_a_clear_error()
    {
        var clip = Clip().Say(Fox);
        var recognizer = new PocketsphinxRecognizer(_cache, new PocketsphinxOptions { MinTimeout = TimeSpan.FromMilliseconds(1), TimeoutPerAudioSecond = 0 });

        var error = await FluentActions.Awaiting(() => recognizer.TranscribeAsync(clip.Write("slow.wav"), 0, clip.Duration, Ct))
            .Should().ThrowAsync<RecognitionException>();

        error.Which.Message.Should().Contain("took longer than").And.Contain("was stopped");
        RecognisersUnder(_cache).Should().BeEmpty();
    }

    [Fact]
    public async Task Missing_pocketsphinx_or_model_says_how_to_install_it()
    {
        var clip = Clip().Say(Fox);
        var path = clip.Write("any.wav");

        var noProgram = new PocketsphinxRecognizer(_cache, new PocketsphinxOptions { Executable = "/nonexistent/pocketsphinx_continuous" });
        var noModel = new PocketsphinxRecognizer(_cache, new PocketsphinxOptions { LanguageModel = "/nonexistent/en-us.lm.bin" });

        (await FluentActions.Awaiting(() => noProgram.TranscribeAsync(path, 0, 1, Ct)).Should().ThrowAsync<RecognitionException>())
            .Which.Message.Should().Contain("/nonexistent/pocketsphinx_continuous").And.Contain("apt-get install -y pocketsphinx pocketsphinx-en-us");
        (await FluentActions.Awaiting(() => noModel.TranscribeAsync(path, 0, 1, Ct)).Should().ThrowAsync<RecognitionException>())
            .Which.Message.Should().Contain("language model '/nonexistent/en-us.lm.bin'").And.Contain("apt-get install");
    }

    [Fact]
    public async Task Ranges_out_of_bounds_are_refused_naming_the_argument()
    {
        var recognizer = new PocketsphinxRecognizer(_cache, new PocketsphinxOptions { MaxRangeSeconds = 60 });
        var path = _dir.File("never-read.wav");

        (await FluentActions.Awaiting(() => recognizer.TranscribeAsync(path, -1, 5, Ct)).Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("start");
        (await FluentActions.Awaiting(() => recognizer.TranscribeAsync(path, 5, 5, Ct)).Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("end");
        (await FluentActions.Awaiting(() => recognizer.TranscribeAsync(path, 0, 61, Ct)).Should().ThrowAsync<ArgumentOutOfRangeException>())
            .Which.Message.Should().Contain("MaxRangeSeconds");
        await FluentActions.Awaiting(() => recognizer.TranscribeAsync(path, 0, 5, Ct)).Should().ThrowAsync<FileNotFoundException>();
        FluentActions.Invoking(() => new PocketsphinxRecognizer(_cache, new PocketsphinxOptions { ChunkSeconds = 5 }))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("ChunkSeconds");
    }

    /// <summary>pocketsphinx processes whose command line mentions <paramref name="directory"/> (their input lies under it).</summary>
    private static List<int> RecognisersUnder(string directory) =>
        [.. Directory.GetDirectories("/proc")
            .Select(d => (Pid: int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0, Dir: d))
            .Where(p => p.Pid > 0 && CommandLine(p.Dir) is { } line && line.Contains("pocketsphinx", StringComparison.Ordinal) && line.Contains(directory, StringComparison.Ordinal))
            .Select(p => p.Pid)];

    private static string? CommandLine(string procDirectory)
    {
        try { return File.ReadAllText(Path.Combine(procDirectory, "cmdline")).Replace('\0', ' '); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static void Report(IReadOnlyList<TimedSentence> sentences)
    {
        foreach (var s in sentences) TestContext.Current.TestOutputHelper?.WriteLine($"{s.Start:0.00}-{s.End:0.00} {s.Text}");
    }

    /// <summary>Edges within tolerance of the spoken sentence (shifted by <paramref name="origin"/>), and enough of its words.</summary>
    private static void ShouldMatch(TimedSentence recognised, (string Text, double Start, double End) spoken, double origin)
    {
        recognised.Start.Should().BeApproximately(spoken.Start - origin, EdgeTolerance, $"\"{recognised.Text}\" starts where \"{spoken.Text}\" does");
        recognised.End.Should().BeApproximately(spoken.End - origin, EdgeTolerance, $"\"{recognised.Text}\" ends where \"{spoken.Text}\" does");
        SpokenClip.WordsRight(spoken.Text, recognised.Text).Should().BeGreaterThanOrEqualTo(MinWordsRightPerSentence, $"\"{recognised.Text}\" is mostly \"{spoken.Text}\"");
    }
}
