namespace RenderFarm.Core.Batch;

/// <summary>Shares a length among shots as equally as their capacities allow.</summary>
internal static class EqualShares
{
    /// <summary>
    /// Each item gets min(capacity, level), the level chosen so the shares add up to
    /// <paramref name="total"/> (water-filling): short items are used whole, long ones are cut
    /// evenly. When the capacities add up to less than the total, every item gets its capacity.
    /// </summary>
    public static double[] Level(IReadOnlyList<double> capacities, double total)
    {
        var shares = new double[capacities.Count];
        var order = Enumerable.Range(0, capacities.Count).OrderBy(i => capacities[i]).ToList();
        var left = total;
        for (var k = 0; k < order.Count; k++)
        {
            var share = left / (order.Count - k);
            if (capacities[order[k]] <= share)
            {
                shares[order[k]] = capacities[order[k]];
                left -= capacities[order[k]];
                continue;
            }
            for (var m = k; m < order.Count; m++) shares[order[m]] = share;
            break;
        }
        return shares;
    }
}
