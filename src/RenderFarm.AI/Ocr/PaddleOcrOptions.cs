using System.Globalization;
using RenderFarm.Onnx;

namespace RenderFarm.AI.Ocr;

/// <summary>
/// Where PaddleOCR's models are and how it reads. Every setting has a stated range; <see cref="Validate"/>
/// rejects a value outside it with an <see cref="ArgumentException"/> naming the setting.
/// </summary>
public sealed record PaddleOcrOptions
{
    /// <summary>Environment variable naming the directory that holds the three model files (the Docker image sets it).</summary>
    public const string ModelDirectoryVariable = "RENDERFARM_OCR_MODELS";

    public const string DetectionModel = "ch_PP-OCRv4_det_infer.onnx";
    public const string RecognitionModel = "ch_PP-OCRv4_rec_infer.onnx";
    public const string Dictionary = "ppocr_keys_v1.txt";

    /// <summary>
    /// The directory with <see cref="DetectionModel"/>, <see cref="RecognitionModel"/> and <see cref="Dictionary"/>.
    /// Null: <see cref="ModelDirectoryVariable"/>, else <c>.models/ppocr</c> as scripts/setup-models.sh installs it
    /// (looked for above the application's directory).
    /// </summary>
    public string? ModelDirectory { get; init; }

    /// <summary>
    /// The detector sees the picture scaled so its long side is at most this (PaddleOCR's det_limit_side_len):
    /// a 1080x1920 frame is detected at 544x960; lines are then read from the full picture. Range 320-4096 px.
    /// </summary>
    public int DetectionMaxSide { get; init; } = 960;

    /// <summary>Lines read with a lower confidence (0-1) are left out (PaddleOCR's drop_score). Range 0-1.</summary>
    public double MinConfidence { get; init; } = 0.5;

    /// <summary>ONNX Runtime intra-op threads for each model; 0 = one per core. Range 0-256.</summary>
    public int Threads { get; init; }

    public DbOptions Boxes { get; init; } = new();

    /// <exception cref="ArgumentException">One line naming the setting and its range.</exception>
    public PaddleOcrOptions Validate()
    {
        Range(nameof(DetectionMaxSide), DetectionMaxSide, 320, 4096);
        Range(nameof(MinConfidence), MinConfidence, 0, 1);
        Range(nameof(Threads), Threads, 0, OnnxSessionFactory.MaxThreads);
        Range("Boxes.PixelThreshold", Boxes.PixelThreshold, 0, 1);
        Range("Boxes.BoxThreshold", Boxes.BoxThreshold, 0, 1);
        Range("Boxes.UnclipRatio", Boxes.UnclipRatio, 0, 10);
        Range("Boxes.MaxCandidates", Boxes.MaxCandidates, 1, 100_000);
        return this;
    }

    /// <summary>The model directory, checked to hold the three files.</summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message names scripts/setup-models.sh and the variable.</exception>
    public string ResolveModelDirectory()
    {
        var configured = ModelDirectory ?? NonEmpty(Environment.GetEnvironmentVariable(ModelDirectoryVariable));
        var directory = configured ?? Path.GetDirectoryName(InstallLocations.FindAbove(Path.Combine(".models", "ppocr", DetectionModel)) ?? "");
        if (!string.IsNullOrEmpty(directory) && new[] { DetectionModel, RecognitionModel, Dictionary }.All(f => File.Exists(Path.Combine(directory, f))))
            return Path.GetFullPath(directory);
        var where = configured is null ? $"no .models/ppocr above {AppContext.BaseDirectory}" : $"'{configured}' does not hold {DetectionModel}, {RecognitionModel} and {Dictionary}";
        throw new FileNotFoundException($"The PaddleOCR models were not found ({where}); run {InstallLocations.Script} or set {ModelDirectoryVariable}", configured ?? DetectionModel);
    }

    private static void Range(string name, double value, double min, double max)
    {
        // NaN fails both comparisons, so it is refused too.
        if (!(value >= min && value <= max))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"PaddleOcrOptions.{name} must be between {min:0.##} and {max:0.##}, not {value}"), name);
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
