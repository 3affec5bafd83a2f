global using FluentAssertions;
global using Xunit;
global using RenderFarm.Onnx;
