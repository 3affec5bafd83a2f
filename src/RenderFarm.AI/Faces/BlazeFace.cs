using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using RenderFarm.Core.Imaging;
using RenderFarm.Media.Ai;
using RenderFarm.Onnx;

namespace RenderFarm.AI.Faces;

/// <summary>
/// Face detection with MediaPipe's BlazeFace on ONNX Runtime: a wide (or tall) picture is looked at in overlapping
/// squares of its short side (<see cref="FaceLetterbox.Tiles"/>: three for 16:9), each letterboxed into the model's
/// input (<see cref="FaceLetterbox"/>); the outputs are decoded (<see cref="BlazeFaceDecoder"/>), mapped back to the
/// picture's pixels and merged by weighted suppression across tiles and models. The models are opened at the first detection, on CUDA when available, else the
/// CPU (logged once). Thread-safe: concurrent detections share the sessions.
/// </summary>
public sealed class BlazeFace : IFaceDetector, IDisposable
{
    private readonly BlazeFaceOptions _options;
    private readonly ILogger? _logger;
    private readonly Lazy<IReadOnlyList<Model>> _models;
    private long _pictures, _ticks;

    public BlazeFace(BlazeFaceOptions? options = null, ILogger? logger = null)
    {
        _options = (options ?? new BlazeFaceOptions()).Validate();
        _logger = logger;
        _models = new Lazy<IReadOnlyList<Model>>(Open, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>"CUDA" or "CPU" (opens the models).</summary>
    public string ExecutionProvider => _models.Value[0].Session.ExecutionProvider;

    /// <summary>Pictures looked at by this instance and the time spent on them.</summary>
    public (long Pictures, TimeSpan Time) Detections => (Interlocked.Read(ref _pictures), TimeSpan.FromTicks(Interlocked.Read(ref _ticks)));

    public IReadOnlyList<DetectedFace> Detect(RgbImage picture)
    {
        picture.Checked();
        var started = Stopwatch.GetTimestamp();
        var candidates = new List<FaceCandidate>();
        foreach (var tile in FaceLetterbox.Tiles(picture.Width, picture.Height))
            foreach (var model in _models.Value)
            {
                var box = FaceLetterbox.Fit(tile.X, tile.Y, tile.Width, tile.Height, model.Size);
                // Boxes in the picture's pixels, so those of every tile and model merge in one suppression.
                candidates.AddRange(model.Run(box.Tensor(picture), _options.MinScore).Select(c =>
                {
                    var (x, y) = box.ToPicture(c.CentreX, c.CentreY);
                    return new FaceCandidate(x, y, box.ToPictureLength(c.Width), box.ToPictureLength(c.Height), c.Score);
                }));
            }
        var faces = BlazeFaceDecoder.Suppress(candidates)
            .Select(c => Clip(new DetectedFace(c.Left, c.Top, c.Width, c.Height, c.Score), picture))
            .Where(f => f.Width > 0 && f.Height > 0)
            .ToList();
        Interlocked.Increment(ref _pictures);
        Interlocked.Add(ref _ticks, Stopwatch.GetElapsedTime(started).Ticks);
        return faces;
    }

    // A face at the picture's edge can be predicted partly outside it (and into the letterbox's padding).
    private static DetectedFace Clip(DetectedFace f, RgbImage picture)
    {
        var left = Math.Clamp(f.X, 0, picture.Width);
        var top = Math.Clamp(f.Y, 0, picture.Height);
        var right = Math.Clamp(f.X + f.Width, 0, picture.Width);
        var bottom = Math.Clamp(f.Y + f.Height, 0, picture.Height);
        return f with { X = left, Y = top, Width = right - left, Height = bottom - top };
    }

    private IReadOnlyList<Model> Open()
    {
        var directory = _options.ResolveModelDirectory();
        var names = _options.Model switch
        {
            BlazeFaceModel.Front => [BlazeFaceOptions.FrontModel],
            BlazeFaceModel.Back => [BlazeFaceOptions.BackModel],
            _ => new[] { BlazeFaceOptions.FrontModel, BlazeFaceOptions.BackModel },
        };
        return [.. names.Select(n => new Model(OnnxSessionFactory.Open(Path.Combine(directory, n), "Face detection", _options.Threads, _logger)))];
    }

    public void Dispose()
    {
        if (!_models.IsValueCreated) return;
        foreach (var model in _models.Value) model.Session.Dispose();
    }

    /// <summary>One BlazeFace model: its input side and which outputs hold each layer's scores and boxes (found by their shapes).</summary>
    private sealed class Model
    {
        public OnnxSession Session { get; }
        public int Size { get; }
        private readonly string[] _scores, _boxes;

        public Model(OnnxSession session)
        {
            Session = session;
            var input = session.Session.InputMetadata.Single().Value.Dimensions; // [1, S, S, 3]: channels last
            if (input.Length != 4 || input[3] != 3 || input[1] != input[2])
                throw new InvalidDataException($"not a BlazeFace model: its input is [{string.Join(",", input)}], not [1,S,S,3]");
            Size = input[1];
            var outputs = session.Session.OutputMetadata;
            string Output(int anchors, int values) => outputs.Single(o => o.Value.Dimensions[^2] == anchors && o.Value.Dimensions[^1] == values).Key;
            var counts = BlazeFaceDecoder.Layers.Select(l => l.Cells * l.Cells * l.AnchorsPerCell).ToArray();
            _scores = [.. counts.Select(c => Output(c, 1))];
            _boxes = [.. counts.Select(c => Output(c, BlazeFaceDecoder.Values))];
        }

        public List<FaceCandidate> Run(float[] tensor, double minScore)
        {
            using var input = OrtValue.CreateTensorValueFromMemory(tensor, [1, Size, Size, 3]);
            using var runOptions = new RunOptions();
            using var output = Session.Session.Run(runOptions, [Session.Session.InputNames[0]], [input], [.. _scores, .. _boxes]);
            var layers = _scores.Length;
            var scores = Enumerable.Range(0, layers).Select(i => output[i].GetTensorDataAsSpan<float>().ToArray()).ToList();
            var boxes = Enumerable.Range(0, layers).Select(i => output[layers + i].GetTensorDataAsSpan<float>().ToArray()).ToList();
            return BlazeFaceDecoder.Candidates(scores, boxes, Size, minScore);
        }
    }
}
