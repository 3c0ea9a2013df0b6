using Dm.TestKit;

namespace Dm.Core.Tests.Upstream;

/// <summary>The Upstream tests' collection: one <see cref="UpstreamServers"/> shared by its classes.</summary>
[CollectionDefinition(Name)]
public sealed class UpstreamServersCollection : ICollectionFixture<UpstreamServers>
{
    public const string Name = "upstream-servers";
}
