using RenderFarm.Benchmarks;

return args.FirstOrDefault() switch
{
    "render" => await RenderBenchmark.RunAsync(args.Skip(1).ToArray()),
    "render-cost" => await RenderCostBenchmark.RunAsync(args.Skip(1).ToArray()),
    "cluster" => await ClusterBenchmark.RunAsync(args.Skip(1).ToArray()),
    "batch" => await BatchBenchmark.RunAsync(args.Skip(1).ToArray()),
    "matting" => await MattingBenchmark.RunAsync(args.Skip(1).ToArray()),
    "matching" => await MatchingBenchmark.RunAsync(args.Skip(1).ToArray()),
    "soak" => await SoakBenchmark.RunAsync(args.Skip(1).ToArray()),
    "beats" => await BeatsBenchmark.RunAsync(args.Skip(1).ToArray()),
    "ocr" => await OcrBenchmark.RunAsync(args.Skip(1).ToArray()),
    "gallery" => await GallerySheets.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: RenderFarm.Benchmarks render [--seconds 60] [--width 1080] [--height 1920]");
    Console.Error.WriteLine("       RenderFarm.Benchmarks render-cost [--seconds 60] [--pairs 3] [--sizes 720x1280,1080x1920] [--segment-seconds S] [--no-stages] [--graph]");
    Console.Error.WriteLine("       RenderFarm.Benchmarks cluster [--videos 6] [--seconds 20] [--runs 2]");
    Console.Error.WriteLine("       RenderFarm.Benchmarks batch [--count 10] [--seconds 15]");
    Console.Error.WriteLine("       RenderFarm.Benchmarks matting [--seconds 10] [--width 1080] [--height 1920] [--analysis-fps 5] [--runs 3]");
    Console.Error.WriteLine("       RenderFarm.Benchmarks matching [--sweep]");
    Console.Error.WriteLine("       RenderFarm.Benchmarks soak [--jobs 1000] [--concurrency 16] [--timeout-minutes 30] [--after-seconds 60]");
    Console.Error.WriteLine("       RenderFarm.Benchmarks beats [--seconds 30]");
    Console.Error.WriteLine("       RenderFarm.Benchmarks ocr [--sizes 24,32,48,64,80,96] [--rounds 2] [--width 1080] [--height 1920]");
    Console.Error.WriteLine("       RenderFarm.Benchmarks gallery [--catalog NAME] [--out docs/gallery]");
    return 2;
}
