using System.CommandLine;
using System.Runtime.InteropServices;
using RenderFarm.Cli;

// SIGINT (Ctrl+C) and SIGTERM cancel the running verb instead of killing the process: the token
// reaches FfmpegRunner, which kills and reaps ffmpeg, and the verb's `using`s remove partial output
// and work directories before `farm` exits with 130. System.CommandLine's own handling is off
// (ProcessTerminationTimeout = null): it would return after a timeout without waiting for cleanup.
using var cancellation = new CancellationTokenSource();
void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    try { cancellation.Cancel(); }
    catch (ObjectDisposedException) { } // a signal after the verb finished
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await FarmCommandLine.Build().Parse(args).InvokeAsync(configuration, cancellation.Token);
