using Dm.Core.Rules;

namespace Dm.Core.Tests.Rules;

public class RuleCacheTests
{
    [Fact]
    public void Cached_answers_stay_correct_under_concurrency_and_cache_resets()
    {
        var filter = new BlockAllowListFilter(new BlockAllowListRules { DoDbs = ["keep_*"], IgnoreTables = [new("keep_*", "tmp*")] }, false);
        var router = new TableRouter([new RouteRule { SchemaPattern = "keep_*", TablePattern = "t*", TargetSchema = "merged", TargetTable = "t" }], false);
        var failures = 0;
        Parallel.For(0, 40000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var schema = (i % 2 == 0 ? "keep_" : "drop_") + (i % 5000);
            var table = (i % 3 == 0 ? "tmp" : "t") + i;
            var expectedPass = i % 2 == 0 && i % 3 != 0;
            if (filter.Match(schema, table) != expectedPass)
                Interlocked.Increment(ref failures);
            var expectedRoute = i % 2 == 0 ? ("merged", "t") : (schema, table);
            if (router.Route(schema, table) != expectedRoute)
                Interlocked.Increment(ref failures);
        });
        Assert.Equal(0, failures);
    }
}
