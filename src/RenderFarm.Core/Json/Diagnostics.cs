namespace RenderFarm.Core.Json;

/// <summary>A non-fatal remark about a request: a field that is accepted but not (yet) honoured.</summary>
public sealed record Warning(string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}

/// <summary>Collects warnings while a request is read; errors are thrown as <see cref="RequestException"/>.</summary>
public sealed class Diagnostics
{
    private readonly List<Warning> _warnings = [];
    public IReadOnlyList<Warning> Warnings => _warnings;
    public void Warn(string path, string message) => _warnings.Add(new Warning(path, message));
}
