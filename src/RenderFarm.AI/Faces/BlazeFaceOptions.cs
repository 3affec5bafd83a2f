using System.Globalization;
using RenderFarm.Onnx;

namespace RenderFarm.AI.Faces;

/// <summary>Which BlazeFace model looks at a picture.</summary>
public enum BlazeFaceModel
{
    /// <summary>Short range (128x128 input): faces that fill a good part of the picture, as in a selfie.</summary>
    Front,
    /// <summary>Full range (256x256 input): also faces small in the frame, as in a wide shot.</summary>
    Back,
    /// <summary>Both, their boxes merged: the most faces, at the cost of both runs.</summary>
    Both,
}

/// <summary>
/// Where BlazeFace's models are and how it detects. Every setting has a stated range; <see cref="Validate"/>
/// rejects a value outside it with an <see cref="ArgumentException"/> naming the setting.
/// </summary>
public sealed record BlazeFaceOptions
{
    /// <summary>Environment variable naming the directory that holds the model files (the Docker image sets it).</summary>
    public const string ModelDirectoryVariable = "RENDERFARM_FACE_MODELS";

    public const string FrontModel = "face_detection_front_128x128_barracuda.onnx";
    public const string BackModel = "face_detection_back_256x256_barracuda.onnx";

    /// <summary>
    /// The directory with <see cref="FrontModel"/> and <see cref="BackModel"/>. Null: <see cref="ModelDirectoryVariable"/>,
    /// else <c>.models/blazeface</c> as scripts/setup-models.sh installs it (looked for above the application's directory).
    /// </summary>
    public string? ModelDirectory { get; init; }

    /// <summary>Back by default: with the tiling of <see cref="FaceLetterbox.Tiles"/> it finds faces from a tenth of a 1080p frame's height up to whole selfies (README, VideoH2V).</summary>
    public BlazeFaceModel Model { get; init; } = BlazeFaceModel.Back;

    /// <summary>Faces scored lower (0-1) are left out (MediaPipe uses 0.5 to 0.65; real faces here score 0.8-0.95, face-free photos up to 0.52). Range 0.05-1.</summary>
    public double MinScore { get; init; } = 0.65;

    /// <summary>ONNX Runtime intra-op threads for each model; 0 = one per core. Range 0-256.</summary>
    public int Threads { get; init; }

    /// <exception cref="ArgumentException">One line naming the setting and its range.</exception>
    public BlazeFaceOptions Validate()
    {
        if (!(MinScore >= 0.05 && MinScore <= 1))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"BlazeFaceOptions.MinScore must be between 0.05 and 1, not {MinScore}"), nameof(MinScore));
        if (Threads is < 0 or > OnnxSessionFactory.MaxThreads)
            throw new ArgumentException($"BlazeFaceOptions.Threads must be between 0 and {OnnxSessionFactory.MaxThreads}, not {Threads}", nameof(Threads));
        if (!Enum.IsDefined(Model))
            throw new ArgumentException($"BlazeFaceOptions.Model must be Front, Back or Both, not {(int)Model}", nameof(Model));
        return this;
    }

    /// <summary>The model directory, checked to hold both files.</summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message names scripts/setup-models.sh and the variable.</exception>
    public string ResolveModelDirectory()
    {
        var configured = ModelDirectory ?? NonEmpty(Environment.GetEnvironmentVariable(ModelDirectoryVariable));
        var directory = configured ?? Path.GetDirectoryName(InstallLocations.FindAbove(Path.Combine(".models", "blazeface", FrontModel)) ?? "");
        if (!string.IsNullOrEmpty(directory) && new[] { FrontModel, BackModel }.All(f => File.Exists(Path.Combine(directory, f))))
            return Path.GetFullPath(directory);
        var where = configured is null ? $"no .models/blazeface above {AppContext.BaseDirectory}" : $"'{configured}' does not hold {FrontModel} and {BackModel}";
        throw new FileNotFoundException($"The BlazeFace models were not found ({where}); run {InstallLocations.Script} or set {ModelDirectoryVariable}", configured ?? FrontModel);
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
