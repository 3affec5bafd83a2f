namespace RenderFarm.Core.Batch;

/// <summary>
/// Deals items in a seeded random order, every item once before any comes again (IMS: with enough
/// scripts none repeats, and all are used before one is reused).
/// </summary>
internal sealed class Deck<T>(IReadOnlyList<T> items, Random random)
{
    private readonly List<int> _left = [];

    public bool IsEmpty => items.Count == 0;

    public T Next()
    {
        if (items.Count == 0) throw new InvalidOperationException("the deck is empty");
        if (_left.Count == 0)
        {
            _left.AddRange(Enumerable.Range(0, items.Count));
            for (var i = _left.Count - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (_left[i], _left[j]) = (_left[j], _left[i]);
            }
        }
        var index = _left[^1];
        _left.RemoveAt(_left.Count - 1);
        return items[index];
    }

    public T? NextOrDefault() => items.Count == 0 ? default : Next();
}
