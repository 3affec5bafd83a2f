namespace RenderFarm.AI.Tests;

/// <summary>Sample-exact assembly, trimming and the WAV codec, with a fake engine (no espeak).</summary>
public sealed class AssemblyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "renderfarm-ai-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>Writes 300 silent samples, 100 samples of tone per spoken character, then 500 silent samples, at 16 kHz.</summary>
    private sealed class FakeEngine : ITtsEngine
    {
        public List<EngineUtterance> Calls { get; } = [];

        public Task<string> GetVersionAsync(CancellationToken cancellationToken = default) => Task.FromResult("fake 1");

        public Task SynthesizeAsync(EngineUtterance utterance, string wavPath, CancellationToken cancellationToken = default)
        {
            lock (Calls) Calls.Add(utterance);
            var text = System.Xml.Linq.XElement.Parse(utterance.Ssml).Value;
            var samples = new short[300 + 100 * text.Length + 500];
            for (var i = 300; i < 300 + 100 * text.Length; i++) samples[i] = (short)(i % 2 == 0 ? 8000 : -8000);
            new WavFile(16000, samples).Write(wavPath);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Sentences_and_breaks_are_concatenated_sample_exactly()
    {
        var engine = new FakeEngine();
        var synthesizer = new SpeechSynthesizer(engine, _dir, new SynthesisOptions { PadSeconds = 0.01 });
        var result = await synthesizer.SynthesizeAsync(new TtsRequest("<speak><break time=\"100ms\"/>ab.<break time=\"250ms\"/>cde. fg</speak>", "andy", 250, -500),
            TestContext.Current.CancellationToken);

        // pad = 160 samples; "ab." = 300 tone samples, "cde." 400, "fg" 200.
        result.Sentences.Should().Equal(
            new SpokenSentence("ab.", "ab.", 1600 / 16000.0, (1600 + 160 + 300 + 160) / 16000.0),
            new SpokenSentence("cde.", "cde.", (2220 + 4000) / 16000.0, (6220 + 720) / 16000.0),
            new SpokenSentence("fg", "fg", 6940 / 16000.0, (6940 + 520) / 16000.0));
        var wav = WavFile.Read(result.WavPath);
        wav.Samples.Length.Should().Be(7460);
        result.DurationSeconds.Should().Be(7460 / 16000.0);
        engine.Calls.Should().OnlyContain(c => c.Voice == "en-us+m3" && c.WordsPerMinute == 233 && c.Pitch == 1 && c.Amplitude == 100);
    }

    [Fact]
    public async Task Results_come_back_in_order_when_sentences_run_in_parallel()
    {
        var engine = new FakeEngine();
        var synthesizer = new SpeechSynthesizer(engine, _dir, new SynthesisOptions { MaxParallelism = 4 });
        var text = string.Join(" ", Enumerable.Range(2, 12).Select(i => new string('x', i) + "."));
        var result = await synthesizer.SynthesizeAsync(new TtsRequest(text), TestContext.Current.CancellationToken);
        result.Sentences.Select(s => s.Written.Length).Should().Equal(Enumerable.Range(3, 12));
        result.Sentences.Select(s => Math.Round((s.End - s.Start) * 16000)).Should().Equal(Enumerable.Range(3, 12).Select(n => 100.0 * n + 1600));
        Directory.GetDirectories(Path.Combine(_dir, "tmp")).Should().BeEmpty("scratch files are removed");
    }

    [Fact]
    public void Trim_keeps_exactly_the_pad_on_both_sides()
    {
        short[] samples = [0, 0, 0, 0, 0, 0, 1, 900, -900, 2, 0, 0];
        SpeechSynthesizer.Trim(samples, 2, 10, out var audible).Should().Equal(new short[] { 0, 1, 900, -900, 2, 0 });
        audible.Should().BeTrue();
        SpeechSynthesizer.Trim([0, 500, 0], 3, 10, out _).Should().Equal(new short[] { 0, 0, 0, 500, 0, 0, 0 }, "missing pad is filled with zeros");
        SpeechSynthesizer.Trim([0, 3, 0], 2, 10, out audible).Should().Equal(new short[4]);
        audible.Should().BeFalse();
    }

    [Fact]
    public void Wav_round_trips_and_tolerates_streaming_headers()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "a.wav");
        new WavFile(22050, [1, -2, 3, short.MaxValue, short.MinValue]).Write(path);
        var back = WavFile.Read(path);
        back.SampleRate.Should().Be(22050);
        back.Samples.Should().Equal(1, -2, 3, short.MaxValue, short.MinValue);

        var bytes = File.ReadAllBytes(path);
        BitConverter.GetBytes(0x7FFFFFFF).CopyTo(bytes, 40); // data size left as "unknown" by a streaming writer
        WavFile.Parse(bytes).Samples.Should().HaveCount(5);
        ((Action)(() => WavFile.Parse("RIFF0000WAVEjunk"u8))).Should().Throw<InvalidDataException>();
    }
}
