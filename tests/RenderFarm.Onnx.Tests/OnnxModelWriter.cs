using Google.Protobuf;

namespace RenderFarm.Onnx.Tests;

/// <summary>
/// Writes an ONNX ModelProto (onnx.proto, IR version 8, opset 13) field by field: just enough of the format
/// for the small graphs the tests run (inputs, outputs, initializers, nodes with int attributes).
/// </summary>
public sealed class OnnxModelWriter
{
    public const int Float = 1, Int64 = 7; // TensorProto.DataType

    private readonly List<Message> _nodes = [], _initializers = [], _inputs = [], _outputs = [];

    /// <summary>A graph input or output; a dimension is a size (long) or a symbolic name (string).</summary>
    public OnnxModelWriter Input(string name, int elementType, params object[] dims) => Add(_inputs, ValueInfo(name, elementType, dims));
    public OnnxModelWriter Output(string name, int elementType, params object[] dims) => Add(_outputs, ValueInfo(name, elementType, dims));

    public OnnxModelWriter Initializer(string name, long[] dims, float[] values) =>
        Add(_initializers, Tensor(name, dims, Float, values.SelectMany(BitConverter.GetBytes).ToArray()));

    public OnnxModelWriter Initializer(string name, long[] dims, long[] values) =>
        Add(_initializers, Tensor(name, dims, Int64, values.SelectMany(BitConverter.GetBytes).ToArray()));

    public OnnxModelWriter Node(string op, string[] inputs, string[] outputs, params (string Name, long Value)[] attributes)
    {
        var node = new Message();
        foreach (var i in inputs) node.String(1, i);
        foreach (var o in outputs) node.String(2, o);
        node.String(3, $"{op}_{_nodes.Count}").String(4, op);
        foreach (var (name, value) in attributes)
            node.Nested(5, new Message().String(1, name).Varint(3, value).Varint(20, 2)); // type INT
        return Add(_nodes, node);
    }

    public byte[] ToBytes()
    {
        var graph = new Message();
        foreach (var n in _nodes) graph.Nested(1, n);
        graph.String(2, "test_graph");
        foreach (var t in _initializers) graph.Nested(5, t);
        foreach (var i in _inputs) graph.Nested(11, i);
        foreach (var o in _outputs) graph.Nested(12, o);
        return new Message()
            .Varint(1, 8)                                         // ir_version
            .String(2, "RenderFarm.Onnx.Tests")                   // producer_name
            .Nested(7, graph)
            .Nested(8, new Message().String(1, "").Varint(2, 13)) // opset_import: ai.onnx 13
            .ToBytes();
    }

    public void Save(string path) => File.WriteAllBytes(path, ToBytes());

    private OnnxModelWriter Add(List<Message> list, Message m)
    {
        list.Add(m);
        return this;
    }

    private static Message Tensor(string name, long[] dims, int dataType, byte[] raw)
    {
        var t = new Message();
        foreach (var d in dims) t.Varint(1, d);
        return t.Varint(2, dataType).String(8, name).Bytes(9, raw); // raw_data: little-endian values
    }

    private static Message ValueInfo(string name, int elementType, object[] dims)
    {
        var shape = new Message();
        foreach (var d in dims)
            shape.Nested(1, d is string symbol ? new Message().String(2, symbol) : new Message().Varint(1, Convert.ToInt64(d)));
        var tensorType = new Message().Varint(1, elementType).Nested(2, shape);
        return new Message().String(1, name).Nested(2, new Message().Nested(1, tensorType));
    }

    /// <summary>One protobuf message being written.</summary>
    private sealed class Message
    {
        private readonly MemoryStream _stream = new();
        private readonly CodedOutputStream _out;

        public Message() => _out = new CodedOutputStream(_stream, leaveOpen: true);

        public Message Varint(int field, long value)
        {
            _out.WriteTag(field, WireFormat.WireType.Varint);
            _out.WriteInt64(value);
            return this;
        }

        public Message String(int field, string value)
        {
            _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _out.WriteString(value);
            return this;
        }

        public Message Bytes(int field, byte[] value)
        {
            _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _out.WriteBytes(ByteString.CopyFrom(value));
            return this;
        }

        public Message Nested(int field, Message value) => Bytes(field, value.ToBytes());

        public byte[] ToBytes()
        {
            _out.Flush();
            return _stream.ToArray();
        }
    }
}
