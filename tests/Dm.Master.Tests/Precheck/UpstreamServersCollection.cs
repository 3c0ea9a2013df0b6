using Dm.TestKit;

namespace Dm.Master.Tests.Precheck;

/// <summary>The pre-check tests' collection: one <see cref="UpstreamServers"/> shared by its classes.</summary>
[CollectionDefinition(Name)]
public sealed class UpstreamServersCollection : ICollectionFixture<UpstreamServers>
{
    public const string Name = "upstream-servers";
}
