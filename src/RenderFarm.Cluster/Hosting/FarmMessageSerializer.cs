using System.Collections.Concurrent;
using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace RenderFarm.Cluster.Hosting;

/// <summary>
/// JSON (System.Text.Json) for every <see cref="IFarmMessage"/>: journal events, snapshots and messages
/// between nodes. The manifest is the type's full name, so a stored event reads back as its own type.
/// </summary>
public sealed class FarmMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);
    private static readonly ConcurrentDictionary<string, Type> Types = new();

    public override int Identifier => 4141;

    public override string Manifest(object o) => o.GetType().FullName!;

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var type = Types.GetOrAdd(manifest, name => typeof(IFarmMessage).Assembly.GetType(name)
            ?? throw new SerializationException($"unknown farm message type {name}"));
        return JsonSerializer.Deserialize(bytes, type, Options) ?? throw new SerializationException($"empty {manifest}");
    }
}
