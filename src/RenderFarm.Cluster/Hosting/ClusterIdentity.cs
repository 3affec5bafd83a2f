using Akka.Actor;
using Akka.Cluster;

namespace RenderFarm.Cluster.Hosting;

/// <summary>How a node incarnation is named in job state: its address and uid, so a restarted node is a new member.</summary>
public static class ClusterIdentity
{
    public static string Of(UniqueAddress member) => $"{member.Address}#{member.Uid}";

    /// <summary>Members that may still be running work: everything but Down and Removed (unreachable ones too: the lease decides those).</summary>
    public static IReadOnlySet<string> LiveMembers(Akka.Cluster.Cluster cluster) =>
        cluster.State.Members.Where(m => m.Status is MemberStatus.Joining or MemberStatus.WeaklyUp or MemberStatus.Up or MemberStatus.Leaving or MemberStatus.Exiting)
            .Select(m => Of(m.UniqueAddress)).ToHashSet();

    /// <summary>Where a node's worker actor lives.</summary>
    public static ActorPath WorkerPath(Address address) => new RootActorPath(address) / "user" / "worker";
}
