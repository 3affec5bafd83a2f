[assembly: AssemblyFixture(typeof(RenderFarm.Onnx.Tests.TinyEncoder))]
