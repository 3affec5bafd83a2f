using RenderFarm.Core.Imaging;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace RenderFarm.Matting;

/// <summary>
/// Person matting with ISNet (IS-Net, "Highly Accurate Dichotomous Image Segmentation", as packaged
/// by @imgly/background-removal-data) on ONNX Runtime. One picture in, one matte out: the picture is
/// resized (bilinear, aspect ignored, as the model was trained) to the model's fixed 1024x1024 input,
/// normalised as (v - 128) / 256, and the model's 0..1 output is resized to the size asked for.
/// Runs on CUDA when its provider loads on this machine, else on the CPU (logged once).
/// Thread-safe: concurrent <see cref="Run"/> calls share the session.
/// </summary>
public sealed class IsNetPersonMatter : IDisposable
{
    private const string InputName = "input";
    private const string OutputName = "output";
    private readonly InferenceSession session;
    private long inferences, inferenceTicks;

    /// <exception cref="FileNotFoundException">The model or ONNX Runtime is missing; the message names scripts/setup-models.sh.</exception>
    public IsNetPersonMatter(MattingOptions? options = null, ILogger? logger = null)
    {
        options = (options ?? new MattingOptions()).Validate();
        logger ??= NullLogger.Instance;
        ModelPath = options.ResolveModelPath();
        var opened = OnnxSessionFactory.Open(ModelPath, "Person matting", options.InferenceThreads, logger, options.Device);
        (session, ExecutionProvider) = (opened.Session, opened.ExecutionProvider);

        if (!session.InputMetadata.TryGetValue(InputName, out var input) || !session.OutputMetadata.ContainsKey(OutputName)
            || input.Dimensions is not [1, 3, var h, var w] || h != w || h <= 0)
            throw new InvalidDataException($"{ModelPath} is not the ISNet model this engine expects (input '{InputName}' [1,3,N,N], output '{OutputName}')");
        ModelSize = h;
    }

    public string ModelPath { get; }

    /// <summary>The side of the square picture the model analyses (1024 for ISNet: its axes are fixed).</summary>
    public int ModelSize { get; }

    /// <summary>"CUDA" or "CPU".</summary>
    public string ExecutionProvider { get; }

    /// <summary>How many model runs this instance has made.</summary>
    public long Inferences => Interlocked.Read(ref inferences);

    /// <summary>Wall time spent in model runs (including resizing in and out) by this instance.</summary>
    public TimeSpan InferenceTime => TimeSpan.FromTicks(Interlocked.Read(ref inferenceTicks));

    /// <summary>
    /// The person matte of <paramref name="image"/> at <paramref name="outWidth"/> x <paramref name="outHeight"/>
    /// (values 0..1). Cancellation stops a run in progress.
    /// </summary>
    public MatteImage Run(RgbImage image, int outWidth, int outHeight, CancellationToken ct = default)
    {
        image.Checked();
        if (outWidth <= 0 || outHeight <= 0) throw new ArgumentOutOfRangeException(nameof(outWidth), "a matte needs a positive size");
        ct.ThrowIfCancellationRequested();

        var started = Stopwatch.GetTimestamp();
        var size = ModelSize;
        var pixels = new float[3 * size * size];
        Bilinear.ToModelInput(image, size, pixels);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, size, size]);
        using var runOptions = new RunOptions();
        using var stop = ct.Register(() => runOptions.Terminate = true);
        Interlocked.Increment(ref inferences);
        try
        {
            using var outputs = session.Run(runOptions, [InputName], [input], [OutputName]);
            var matte = outputs[0].GetTensorDataAsSpan<float>();
            return new MatteImage(Bilinear.Resize(matte, size, size, outWidth, outHeight), outWidth, outHeight);
        }
        catch (OnnxRuntimeException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
        finally
        {
            Interlocked.Add(ref inferenceTicks, Stopwatch.GetElapsedTime(started).Ticks);
        }
    }

    public void Dispose() => session.Dispose();
}
