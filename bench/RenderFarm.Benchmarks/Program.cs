using RenderFarm.Benchmarks;

return args.FirstOrDefault() switch
{
    "render" => await RenderBenchmark.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: RenderFarm.Benchmarks render [--seconds 60] [--width 1080] [--height 1920]");
    return 2;
}
