using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace RenderFarm.Onnx;

/// <summary>An open model and where it runs: "CUDA" or "CPU".</summary>
public sealed record OnnxSession(InferenceSession Session, string ExecutionProvider) : IDisposable
{
    public void Dispose() => Session.Dispose();
}

/// <summary>
/// Opens ONNX models on CUDA when this ONNX Runtime build and machine can run it, else on the CPU with one
/// logged line saying why. Loads the native library first (<see cref="OnnxRuntimeLibrary"/>).
/// </summary>
public static class OnnxSessionFactory
{
    /// <summary>The most intra-op threads a caller may ask for (0 = ONNX Runtime's choice: one per core).</summary>
    public const int MaxThreads = 256;

    /// <summary>
    /// Why this runtime cannot offer CUDA, or null when it may (a CUDA session is then tried, and a
    /// machine without a GPU or driver still falls back to the CPU). Loads the native library; opens no model.
    /// </summary>
    public static string? WhyNoCuda()
    {
        OnnxRuntimeLibrary.EnsureLoaded();
        if (!OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
            return "this ONNX Runtime build has no CUDA provider";
        // The npm package's build lists CUDA but ships without its provider library; trying
        // anyway only makes ONNX Runtime print a load error.
        var cudaLibrary = CudaProviderLibrary;
        return File.Exists(cudaLibrary) ? null : $"no {Path.GetFileName(cudaLibrary)} beside {OnnxRuntimeLibrary.LoadedPath}";
    }

    private static string CudaProviderLibrary =>
        Path.Combine(Path.GetDirectoryName(OnnxRuntimeLibrary.LoadedPath) ?? ".", "libonnxruntime_providers_cuda.so");

    /// <param name="purpose">What the model does, for the log line ("Person matting", "Text embedding").</param>
    /// <exception cref="OnnxRuntimeException">The file is not a model this runtime can load.</exception>
    public static OnnxSession Open(string modelPath, string purpose, int threads = 0, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, MaxThreads);
        var reason = WhyNoCuda();
        if (reason is null)
        {
            try
            {
                using var cuda = Options(threads);
                cuda.AppendExecutionProvider_CUDA(0);
                return new OnnxSession(new InferenceSession(modelPath, cuda), "CUDA");
            }
            catch (OnnxRuntimeException e)
            {
                // No GPU, no driver, or CUDA libraries that do not match the provider.
                reason = e.Message.Split('\n')[0].Trim();
            }
        }
        logger?.LogInformation("{Purpose} runs on the CPU: CUDA is not available ({Reason})", purpose, reason);
        using var cpu = Options(threads);
        return new OnnxSession(new InferenceSession(modelPath, cpu), "CPU");
    }

    private static SessionOptions Options(int threads) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        IntraOpNumThreads = threads,
        // Warnings about a model's declared intermediate shapes are noise in a render log.
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
    };
}
