using System.Globalization;

namespace RenderFarm.Matting;

/// <summary>
/// How person mattes are computed. Each value has a stated range; <see cref="Validate"/> rejects
/// anything outside it with a one-line message naming the field.
/// </summary>
public sealed record MattingOptions
{
    /// <summary>Environment variable naming the ISNet model file when <see cref="ModelPath"/> is not set.</summary>
    public const string ModelVariable = "RENDERFARM_MATTING_MODEL";

    /// <summary>The default model's file name in <c>.models</c>, where scripts/setup-models.sh puts it.</summary>
    public const string ModelFileName = "isnet-fp32.onnx";

    /// <summary>
    /// The ISNet ONNX model. Null: <see cref="ModelVariable"/>, else <c>.models/isnet-fp32.onnx</c> as
    /// installed by scripts/setup-models.sh (looked for above the application's directory).
    /// </summary>
    public string? ModelPath { get; init; }

    /// <summary>
    /// Pictures looked at per second of source video, 0.5 to 30 (default 5): the most the model may
    /// analyse. With <see cref="MotionThreshold"/> above 0 the model runs only on those the picture has
    /// changed at since the last analysed one. Output frames between two analysed pictures get a linear
    /// blend of their mattes. One model run takes about 2.6 s on 2 CPU cores.
    /// </summary>
    public double AnalysisFps { get; init; } = 5;

    /// <summary>
    /// How much a picture must differ from the last analysed one for the model to analyse it, 0 to 1
    /// (default 0.01): the mean absolute difference of their luma (0..1) on a 64x64 grid. 0 analyses
    /// every picture of the <see cref="AnalysisFps"/> grid. A still image or a static shot is analysed
    /// once; a moving person as often as the picture changes, up to <see cref="AnalysisFps"/>.
    /// </summary>
    public double MotionThreshold { get; init; } = 0.01;

    /// <summary>
    /// Largest width and height of the matte video, 64 to 2048 (default 1024, the model's own
    /// resolution). Each side is the source's, capped at this value; the compositor scales the matte
    /// to the source size. (The model itself always analyses a 1024x1024 picture: it has fixed axes.)
    /// </summary>
    public int MatteSize { get; init; } = 1024;

    /// <summary>
    /// Temporal smoothing of analysed mattes, 0 to 1 (default 0.5): a centred three-tap average
    /// whose neighbour weights are each <c>TemporalSmoothing / 3</c> (0 = off, 1 = equal thirds).
    /// Centred, so it damps flicker without making the matte lag behind motion.
    /// </summary>
    public double TemporalSmoothing { get; init; } = 0.5;

    /// <summary>CPU threads one model run uses, 0 to 256 (default 0: one per physical core).</summary>
    public int InferenceThreads { get; init; }

    /// <summary>Where the model runs (default: CUDA when its provider loads, else the CPU); set by RENDERFARM_ONNX_DEVICE.</summary>
    public OnnxDevice Device { get; init; }

    public const double MinAnalysisFps = 0.5, MaxAnalysisFps = 30;
    public const int MinMatteSize = 64, MaxMatteSize = 2048, MaxInferenceThreads = 256;

    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range; the message names it.</exception>
    public MattingOptions Validate()
    {
        Check(nameof(AnalysisFps), AnalysisFps, MinAnalysisFps, MaxAnalysisFps);
        Check(nameof(MatteSize), MatteSize, MinMatteSize, MaxMatteSize);
        Check(nameof(TemporalSmoothing), TemporalSmoothing, 0, 1);
        Check(nameof(MotionThreshold), MotionThreshold, 0, 1);
        Check(nameof(InferenceThreads), InferenceThreads, 0, MaxInferenceThreads);
        if (ModelPath is { } path && string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("MattingOptions.ModelPath is empty; leave it null for the default model", nameof(ModelPath));
        return this;
    }

    private static void Check(string name, double value, double min, double max)
    {
        if (!(value >= min && value <= max)) // also rejects NaN
            throw new ArgumentOutOfRangeException(name, value,
                $"MattingOptions.{name} is {value.ToString(CultureInfo.InvariantCulture)}; it must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>The environment variables that set the analysis values on farm nodes and `farm render`.</summary>
    public const string FpsVariable = "RENDERFARM_MATTING_FPS", SizeVariable = "RENDERFARM_MATTING_SIZE",
        SmoothingVariable = "RENDERFARM_MATTING_SMOOTHING", ThreadsVariable = "RENDERFARM_MATTING_THREADS",
        MotionVariable = "RENDERFARM_MATTING_MOTION";

    /// <summary>
    /// The defaults, with each value the environment sets (<see cref="FpsVariable"/>, <see cref="SizeVariable"/>,
    /// <see cref="SmoothingVariable"/>, <see cref="ThreadsVariable"/>, <see cref="MotionVariable"/>, the device from
    /// <see cref="OnnxSessionFactory.DeviceVariable"/>; the model from <see cref="ModelVariable"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A value is not a number or is out of range; the message names the variable.</exception>
    public static MattingOptions FromEnvironment(Func<string, string?>? variables = null)
    {
        variables ??= Environment.GetEnvironmentVariable;
        double? Read(string variable)
        {
            if (NonEmpty(variables(variable)) is not { } text) return null;
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? value : throw new ArgumentException($"{variable}: '{text}' is not a number");
        }
        var defaults = new MattingOptions();
        var options = new MattingOptions
        {
            AnalysisFps = Read(FpsVariable) ?? defaults.AnalysisFps,
            MatteSize = (int)(Read(SizeVariable) ?? defaults.MatteSize),
            TemporalSmoothing = Read(SmoothingVariable) ?? defaults.TemporalSmoothing,
            MotionThreshold = Read(MotionVariable) ?? defaults.MotionThreshold,
            InferenceThreads = (int)(Read(ThreadsVariable) ?? defaults.InferenceThreads),
            Device = OnnxSessionFactory.DeviceFromEnvironment(variables),
        };
        try { return options.Validate(); }
        catch (ArgumentOutOfRangeException e)
        {
            var variable = e.ParamName switch
            {
                nameof(AnalysisFps) => FpsVariable, nameof(MatteSize) => SizeVariable,
                nameof(TemporalSmoothing) => SmoothingVariable, nameof(MotionThreshold) => MotionVariable, _ => ThreadsVariable,
            };
            throw new ArgumentException($"{variable}: {e.Message.Split(" (Parameter")[0]}");
        }
    }

    /// <summary>The model file these options name, resolved as <see cref="ModelPath"/> describes.</summary>
    /// <exception cref="FileNotFoundException">No model there; the message names scripts/setup-models.sh.</exception>
    public string ResolveModelPath()
    {
        var configured = ModelPath ?? NonEmpty(Environment.GetEnvironmentVariable(ModelVariable));
        var path = configured ?? InstallLocations.FindAbove(Path.Combine(".models", ModelFileName));
        if (path is not null && File.Exists(path)) return Path.GetFullPath(path);
        var where = configured is null ? $"no .models/{ModelFileName} above {AppContext.BaseDirectory}" : $"'{configured}' does not exist";
        throw new FileNotFoundException(
            $"The ISNet matting model was not found ({where}); run {InstallLocations.Script} or set {ModelVariable}", configured ?? ModelFileName);
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
