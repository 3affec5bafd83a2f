namespace RenderFarm.Media.Compilation;

/// <summary>
/// Builds an ffmpeg -filter_complex graph and the input list that feeds it. Filters are given as
/// already-escaped filter strings (see <see cref="FilterGraphText.Filter"/>); labels are generated
/// here so they never collide.
/// </summary>
public sealed class FilterGraph
{
    private readonly List<IReadOnlyList<string>> _inputs = [];
    private readonly List<string> _chains = [];
    private int _labels;

    /// <summary>Input arguments per input, in order (e.g. <c>-ss 1.5 -t 3 -i file:/a.mp4</c>).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Inputs => _inputs;

    /// <summary>Adds an input and returns its stream label prefix, e.g. <c>0</c> for <c>[0:v]</c>.</summary>
    public int AddInput(IReadOnlyList<string> arguments)
    {
        _inputs.Add(arguments);
        return _inputs.Count - 1;
    }

    public string NewLabel(string prefix) => $"{prefix}{_labels++}";

    /// <summary>Adds <c>[in1][in2]f1,f2[out]</c> and returns the output label.</summary>
    public string Chain(IEnumerable<string> inputs, IEnumerable<string> filters, string? output = null, string prefix = "s")
    {
        var label = output ?? NewLabel(prefix);
        var ins = string.Concat(inputs.Select(i => $"[{i}]"));
        var list = filters.ToList();
        _chains.Add($"{ins}{(list.Count == 0 ? "null" : string.Join(',', list))}[{label}]");
        return label;
    }

    public string Chain(string input, params string[] filters) => Chain([input], filters);

    /// <summary>A source filter with no inputs (e.g. <c>color</c>, <c>anullsrc</c>).</summary>
    public string Source(params string[] filters) => Chain([], filters);

    /// <summary>Splits a stream into <paramref name="count"/> copies.</summary>
    public IReadOnlyList<string> Split(string input, int count, bool audio = false)
    {
        if (count == 1) return [input];
        var outs = Enumerable.Range(0, count).Select(_ => NewLabel("p")).ToList();
        _chains.Add($"[{input}]{(audio ? "asplit" : "split")}={count}{string.Concat(outs.Select(o => $"[{o}]"))}");
        return outs;
    }

    public string Text => string.Join(";\n", _chains);
}
