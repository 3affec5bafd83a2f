using RenderFarm.Cli;

return await FarmCommandLine.Build().Parse(args).InvokeAsync();
