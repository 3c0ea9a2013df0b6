using Dm.Master.Cluster;
using Dm.Master.Sources;
using Dm.Master.State;
using Dm.Master.Tasks;

namespace Dm.Master.Hosting;

/// <summary>The master's application services, as the API layer sees them.</summary>
public sealed record MasterServices(
    ClusterService Cluster,
    SourceService Sources,
    TaskService Tasks,
    TaskUpstreamView TaskUpstream,
    TableStructureService TableStructures,
    TaskConversion Conversion,
    TemplateService Templates,
    BinlogErrorService Binlog,
    ShardDdl.ShardDdlLockService ShardDdlLocks,
    TaskCheckService Checks,
    PasswordCipher Secrets,
    Workers.JoinSecret JoinSecret,
    MasterOptions Options,
    Func<string> DocumentJson);
