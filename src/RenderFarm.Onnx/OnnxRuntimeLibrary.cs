using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace RenderFarm.Onnx;

/// <summary>
/// Loads ONNX Runtime's native library for the managed API compiled into this assembly. The
/// library is not a NuGet asset here (it comes from the npm package onnxruntime-node), so the
/// assembly's P/Invokes are resolved to an explicit file: <see cref="PathVariable"/> when set, else
/// libonnxruntime.so.1 beside the application, else the one scripts/setup-models.sh installed.
/// </summary>
public static class OnnxRuntimeLibrary
{
    /// <summary>Environment variable naming the libonnxruntime.so.1 to load (e.g. a CUDA-enabled build on a GPU node).</summary>
    public const string PathVariable = "RENDERFARM_ONNXRUNTIME";

    private const string FileName = "libonnxruntime.so.1";
    private static readonly Lock Gate = new();
    private static IntPtr handle;

    /// <summary>The loaded library's path, once <see cref="EnsureLoaded"/> has run.</summary>
    public static string? LoadedPath { get; private set; }

    /// <summary>Loads the library once; call before any Microsoft.ML.OnnxRuntime type is touched.</summary>
    /// <exception cref="FileNotFoundException">No library was found; the message names the script and variable.</exception>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (handle != IntPtr.Zero) return;
            var path = Locate();
            handle = NativeLibrary.Load(path);
            LoadedPath = path;
            // The managed API would otherwise register its own resolver, which looks only beside the app.
            OrtEnv.DisableDllImportResolver = true;
            NativeLibrary.SetDllImportResolver(typeof(OnnxRuntimeLibrary).Assembly, Resolve);
        }
    }

    internal static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(configured))
            return File.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new FileNotFoundException($"{PathVariable} is '{configured}', which does not exist", configured);

        var beside = Path.Combine(AppContext.BaseDirectory, FileName);
        if (File.Exists(beside)) return beside;

        var arch = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        return InstallLocations.FindAbove(Path.Combine(".tools", "ml", "onnxruntime-node", "bin", "napi-v6", "linux", arch, FileName))
            ?? throw new FileNotFoundException(
                $"ONNX Runtime ({FileName}) was not found; run {InstallLocations.Script} or set {PathVariable}", FileName);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == "onnxruntime" ? handle : IntPtr.Zero;
}
