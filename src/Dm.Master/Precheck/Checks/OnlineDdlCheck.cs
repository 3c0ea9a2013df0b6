using System.Text.RegularExpressions;
using Dm.Core.Config;

namespace Dm.Master.Precheck.Checks;

/// <summary>
/// online_ddl (sync modes with online-ddl on): a gh-ost / pt-osc shadow table whose real table is migrated means a
/// schema change is half done upstream; starting now would miss its beginning.
/// </summary>
internal static class OnlineDdlCheck
{
    public static CheckResult Run(SourceSnapshot s, IReadOnlyList<string> shadowRules)
    {
        var r = new CheckResult { Item = CheckingItems.OnlineDdl, Name = "online ddl checker", Desc = "check if in online ddl phase", Extra = "online ddl" };
        var rules = shadowRules.Select(p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))).ToList();
        var schemas = s.Tables.Select(t => t.Source.Schema).ToHashSet(StringComparer.Ordinal);
        foreach (var schema in schemas.Order(StringComparer.Ordinal))
        {
            if (!s.SchemaTables.TryGetValue(schema, out var tables)) continue;
            foreach (var table in tables)
            {
                var real = rules.Select(rule => rule.Match(table)).FirstOrDefault(m => m.Success && m.Groups.Count > 1)?.Groups[1].Value;
                if (real == null || !s.Source.TableFilter(schema, real)) continue;
                r.Extra = "please wait the online-ddl over";
                return r.Add(CheckError.Failure("your ddl is in pt/ghost online-ddl"));
            }
        }
        return r;
    }
}
