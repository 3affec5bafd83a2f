using RenderFarm.Core.Imaging;

namespace RenderFarm.Media.Ai;

/// <summary>
/// The AI engines a render may need, given to <see cref="Rendering.TimelinePreparer"/> by the
/// process that hosts it (the CLI, a farm node). Media only knows these interfaces; the engines
/// (espeak-ng, pocketsphinx, ONNX Runtime) live in RenderFarm.AI and RenderFarm.Matting. A member
/// left null means "not available on this node": a timeline that needs it fails with a clear error.
/// <see cref="TextReader"/> is the OCR of media analysis; <see cref="Faces"/> finds faces for the media-AI vision functions.
/// </summary>
public sealed record AiEngines(ISpeechEngine? Speech = null, ISpeechRecognizer? Recognizer = null, IMatteProducer? Matte = null,
    ITextReader? TextReader = null, IFaceDetector? Faces = null)
{
    public static readonly AiEngines None = new();
}

/// <summary>The TTS fields of an IMS AI_TTS clip. <see cref="JsonPath"/> names the clip for errors.</summary>
public sealed record SpeechSpec(string Content, string? Voice, int SpeechRate, int PitchRate, string Seed, string JsonPath);

/// <summary>A sentence as captions show it (the written form) and when it is spoken, in seconds from the audio's start.</summary>
public sealed record TimedSentence(string Text, double Start, double End);

/// <summary>Synthesized speech: a WAV file (read-only, cached), its length, its sentences with their times.</summary>
public sealed record SpeechTrack(string WavPath, double DurationSeconds, IReadOnlyList<TimedSentence> Sentences, IReadOnlyList<string> Warnings);

/// <summary>Text to speech. Results are cached by everything that determines them; the same spec gives the same file.</summary>
public interface ISpeechEngine
{
    Task<SpeechTrack> SynthesizeAsync(SpeechSpec spec, CancellationToken ct);
}

/// <summary>
/// Speech to text for the AI_ASR effect on a video or audio clip: the sentences spoken in
/// [<paramref name="start"/>, <paramref name="end"/>) of the media's sound, with times relative to
/// <paramref name="start"/>. Cached by media identity and range.
/// </summary>
public interface ISpeechRecognizer
{
    Task<IReadOnlyList<TimedSentence>> TranscribeAsync(string mediaPath, double start, double end, CancellationToken ct);
}

/// <summary>
/// What one AI_RealMatting clip needs matted: the frames the clip shows on the output frame grid.
/// Output frame n (0-based, counted from the clip's first frame) shows the source picture at
/// <c>SourceStart + n / Fps * Speed</c> seconds. <see cref="Threshold"/> (0-255) is a cut the engine
/// applies to its matte values (below it: 0). <see cref="Rendering.TimelinePreparer"/> always asks for
/// the raw matte (0) because the compositor applies the clip's IMS Thres itself, so one cached matte
/// serves every Thres; other values are for callers that use a matte on its own.
/// </summary>
public sealed record MatteRequest(string SourcePath, double SourceStart, double Speed, int Fps, long Frames, int SourceWidth, int SourceHeight, double Threshold);

/// <summary>
/// Person matting. Produces (or finds cached) a grayscale video with exactly <see cref="MatteRequest.Frames"/>
/// frames at <see cref="MatteRequest.Fps"/>: frame n is the matte (255 = person, 0 = background) of the
/// clip's output frame n, at any resolution (the compositor scales it to the source size).
/// </summary>
public interface IMatteProducer
{
    Task<string> ProduceAsync(MatteRequest request, CancellationToken ct);
}

/// <summary>A corner of a <see cref="TextLine"/>'s box, in pixels of the picture read (0,0 = its top-left corner).</summary>
public readonly record struct TextPoint(double X, double Y);

/// <summary>
/// One line of text found in a picture: what it says, how sure the reader is (0-1), and its box: four
/// corners clockwise from the top-left of the text (a rotated rectangle when the text is slanted).
/// </summary>
public sealed record TextLine(string Text, double Confidence, IReadOnlyList<TextPoint> Box)
{
    public double Top => Box.Min(p => p.Y);
    public double Bottom => Box.Max(p => p.Y);
    public double Left => Box.Min(p => p.X);
    public double Right => Box.Max(p => p.X);
}

/// <summary>
/// OCR: the lines of text in a picture file (JPEG, PNG or anything ffmpeg decodes), top to bottom, and
/// left to right within a row. Lines the reader is unsure of are left out. A picture without text gives none.
/// </summary>
public interface ITextReader
{
    /// <summary>The reader and model, e.g. "PP-OCRv4": it enters the content address of analyses.</summary>
    string Name { get; }

    Task<IReadOnlyList<TextLine>> ReadAsync(string imagePath, CancellationToken ct);

    /// <summary>The same for a decoded picture (video frames piped from ffmpeg: no file per frame).</summary>
    IReadOnlyList<TextLine> Read(RgbImage image, CancellationToken ct);
}

/// <summary>Which engine an item of AI work needs: a farm queues each kind on its own task queue (tts, asr, matte).</summary>
public enum AiWorkKind { Speech, Transcript, Matte }

/// <summary>One clip's AI work, named by the clip's JSON path.</summary>
public sealed record AiWorkItem(AiWorkKind Kind, string ClipPath);

/// <summary>A face found in a picture: its box in pixels (top-left corner and size) and how sure the detector is (0-1).</summary>
public sealed record DetectedFace(double X, double Y, double Width, double Height, double Score)
{
    public double CentreX => X + Width / 2;
    public double CentreY => Y + Height / 2;
}

/// <summary>
/// Face detection: the faces in one picture, most certain first; none when there is no face. Pure in its
/// input (the same picture gives the same faces) and safe to call from one thread at a time.
/// </summary>
public interface IFaceDetector
{
    IReadOnlyList<DetectedFace> Detect(RgbImage picture);
}
