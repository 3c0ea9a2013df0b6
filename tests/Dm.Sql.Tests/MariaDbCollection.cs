using Dm.TestKit;

namespace Dm.Sql.Tests;

/// <summary>One real MariaDB server shared by every Dm.Sql test that needs one.</summary>
[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>
{
    public const string Name = "dm-sql-mariadb";
}
