namespace RenderFarm.Cluster;

/// <summary>
/// Every message that crosses nodes or enters the journal: serialized as JSON by
/// <see cref="Hosting.FarmMessageSerializer"/>, so events and remote messages have one readable format.
/// </summary>
public interface IFarmMessage;
