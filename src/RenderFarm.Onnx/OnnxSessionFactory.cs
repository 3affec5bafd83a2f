using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace RenderFarm.Onnx;

/// <summary>An open model and where it runs: "CUDA" or "CPU".</summary>
public sealed record OnnxSession(InferenceSession Session, string ExecutionProvider) : IDisposable
{
    public void Dispose() => Session.Dispose();
}

/// <summary>Where models may run: <see cref="Auto"/> tries CUDA and falls back to the CPU; <see cref="Cpu"/> never tries CUDA.</summary>
public enum OnnxDevice { Auto, Cpu }

/// <summary>
/// Opens ONNX models on CUDA when the CUDA provider loads on this machine, else on the CPU with one
/// logged line saying why. The runtime is the NuGet package Microsoft.ML.OnnxRuntime.Gpu.Linux: its
/// CUDA provider needs CUDA 13 and an NVIDIA driver, and whether it loads is only known by trying
/// (GetAvailableProviders lists CUDA on every machine), so the first attempt's outcome is kept for the process.
/// </summary>
public static class OnnxSessionFactory
{
    /// <summary>The most intra-op threads a caller may ask for (0 = ONNX Runtime's choice: one per core).</summary>
    public const int MaxThreads = 256;

    /// <summary>Environment variable choosing the device: <c>auto</c> (default) or <c>cpu</c>.</summary>
    public const string DeviceVariable = "RENDERFARM_ONNX_DEVICE";

    private static readonly Lazy<string?> CudaFailure = new(ProbeCuda);
    private static readonly Lock EnvironmentGate = new();

    /// <exception cref="ArgumentException">The variable holds something else than auto or cpu; the message names it.</exception>
    public static OnnxDevice DeviceFromEnvironment(Func<string, string?>? variables = null)
    {
        var text = (variables ?? Environment.GetEnvironmentVariable)(DeviceVariable)?.Trim();
        return text?.ToLowerInvariant() switch
        {
            null or "" or "auto" => OnnxDevice.Auto,
            "cpu" => OnnxDevice.Cpu,
            _ => throw new ArgumentException($"{DeviceVariable}: '{text}' is not a device; use auto or cpu"),
        };
    }

    /// <summary>
    /// Why models will run on the CPU under <paramref name="device"/>, or null when CUDA's provider loads
    /// (a model may still fail on it, and then falls back). Opens no model.
    /// </summary>
    public static string? WhyNoCuda(OnnxDevice device = OnnxDevice.Auto) =>
        device == OnnxDevice.Cpu ? $"{DeviceVariable} is cpu" : CudaFailure.Value;

    // Appending the provider loads libonnxruntime_providers_cuda.so and its CUDA libraries, or throws.
    private static string? ProbeCuda()
    {
        QuietEnvironment();
        try
        {
            using var options = new SessionOptions();
            options.AppendExecutionProvider_CUDA(0);
            return null;
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            return FirstLine(e.Message);
        }
    }

    /// <param name="purpose">What the model does, for the log line ("Person matting", "Text embedding").</param>
    /// <exception cref="OnnxRuntimeException">The file is not a model this runtime can load.</exception>
    public static OnnxSession Open(string modelPath, string purpose, int threads = 0, ILogger? logger = null,
        OnnxDevice device = OnnxDevice.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, MaxThreads);
        QuietEnvironment();
        var reason = WhyNoCuda(device);
        if (reason is null)
        {
            try
            {
                using var cuda = Options(threads);
                cuda.AppendExecutionProvider_CUDA(0);
                return new OnnxSession(new InferenceSession(modelPath, cuda), "CUDA");
            }
            catch (OnnxRuntimeException e) when (File.Exists(modelPath))
            {
                // The provider loaded but this model or device did not start on it (no GPU, out of memory).
                reason = FirstLine(e.Message);
            }
        }
        logger?.LogInformation("{Purpose} runs on the CPU: CUDA is not available ({Reason})", purpose, reason);
        using var cpu = Options(threads);
        return new OnnxSession(new InferenceSession(modelPath, cpu), "CPU");
    }

    // ONNX Runtime's own logger would print the CUDA load failure (and shape warnings) to stderr on every
    // machine without a GPU; the reason is logged once by this factory instead, and errors still throw.
    private static void QuietEnvironment()
    {
        lock (EnvironmentGate)
        {
            if (OrtEnv.IsCreated) return;
            var options = new EnvironmentCreationOptions { logId = "renderfarm", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            OrtEnv.CreateInstanceWithOptions(ref options);
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static SessionOptions Options(int threads) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        IntraOpNumThreads = threads,
        // Warnings about a model's declared intermediate shapes are noise in a render log.
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
    };
}
