namespace RenderFarm.AI.Recognition;

/// <summary>Where pocketsphinx and its model are, how sentences are formed, how long audio is cut up.</summary>
public sealed record PocketsphinxOptions
{
    /// <summary>Debian's pocketsphinx-en-us package puts the US English model here.</summary>
    public const string DebianModelDirectory = "/usr/share/pocketsphinx/model/en-us";

    public const double MinChunkSeconds = 30, MaxChunkSeconds = 1800;
    public const double MaxRangeLimitSeconds = 24 * 3600;

    /// <summary>The program; a bare name is looked up on PATH.</summary>
    public string Executable { get; init; } = "pocketsphinx_continuous";

    /// <summary>Acoustic model directory (-hmm).</summary>
    public string AcousticModel { get; init; } = Path.Combine(DebianModelDirectory, "en-us");

    /// <summary>Language model (-lm).</summary>
    public string LanguageModel { get; init; } = Path.Combine(DebianModelDirectory, "en-us.lm.bin");

    /// <summary>Pronunciation dictionary (-dict).</summary>
    public string Dictionary { get; init; } = Path.Combine(DebianModelDirectory, "cmudict-en-us.dict");

    public SentenceRules Sentences { get; init; } = new();

    /// <summary>
    /// Audio per pocketsphinx run, in [30, 1800] s. pocketsphinx itself streams any length; chunks bound
    /// the work lost to a timeout and the memory held (32 KB per second). Each cut is placed at the
    /// quietest 200 ms within 15 s of the nominal length.
    /// </summary>
    public double ChunkSeconds { get; init; } = 300;

    /// <summary>Longest range one call may transcribe, at most 24 h (default 3 h: about 0.5-2 h of CPU on one core).</summary>
    public double MaxRangeSeconds { get; init; } = 3 * 3600;

    /// <summary>A run is stopped after <c>MinTimeout + TimeoutPerAudioSecond × chunk length</c>.</summary>
    public TimeSpan MinTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Measured: 0.15-0.6 s per second of audio on 2 shared cores (the slow end when busy); 3 leaves room.</summary>
    public double TimeoutPerAudioSecond { get; init; } = 3;

    /// <exception cref="ArgumentOutOfRangeException">Naming the option that is out of its range.</exception>
    public void Check()
    {
        Sentences.Check();
        if (!(ChunkSeconds is >= MinChunkSeconds and <= MaxChunkSeconds))
            throw new ArgumentOutOfRangeException(nameof(ChunkSeconds), ChunkSeconds, $"ChunkSeconds must be in [{MinChunkSeconds}, {MaxChunkSeconds}]");
        if (!(MaxRangeSeconds is > 0 and <= MaxRangeLimitSeconds))
            throw new ArgumentOutOfRangeException(nameof(MaxRangeSeconds), MaxRangeSeconds, $"MaxRangeSeconds must be in (0, {MaxRangeLimitSeconds}]");
        if (MinTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MinTimeout), MinTimeout, "MinTimeout must be positive");
        if (!(TimeoutPerAudioSecond is >= 0 and <= 100))
            throw new ArgumentOutOfRangeException(nameof(TimeoutPerAudioSecond), TimeoutPerAudioSecond, "TimeoutPerAudioSecond must be in [0, 100]");
    }
}
