using Dm.Binlog.Replication;
using Dm.Contracts.Mapping;
using Dm.Core.Api;
using Dm.Core.Config;
using Google.Protobuf.WellKnownTypes;

namespace Dm.Contracts;

/// <summary>
/// The one mapping between Dm.Core's models and the messages of the worker channel, used by master and worker alike:
/// the resolved subtask config and the bound source's config (master to worker), a subtask's and a relay log's status
/// (worker to master), and the stage. Each message mirrors its model field by field (see <see cref="MessageMapper"/>), so a
/// config goes through the channel unchanged.
/// </summary>
public static class ContractMapping
{
    private const string InvalidUnit = "InvalidUnit";

    private static readonly MessageMapper Mapper = new([
        MessageConverter.Of<TimeSpan, Duration>(Duration.FromTimeSpan, duration => duration.ToTimeSpan()),
        MessageConverter.Of<string, Statuses.Unit>(UnitToMessage, UnitToApi),
    ]);

    public static Configs.SubtaskConfig ToMessage(SubTaskConfig config) => Mapper.ToMessage<Configs.SubtaskConfig>(config);

    /// <summary>The subtask config a message carries; throws when the message cannot be read (a malformed duration, say).</summary>
    public static SubTaskConfig ToConfig(Configs.SubtaskConfig message) => Mapper.ToModel<SubTaskConfig>(message);

    public static Configs.SourceConfig ToMessage(SourceConfig config) => Mapper.ToMessage<Configs.SourceConfig>(config);

    /// <summary>The source config a message carries; throws when the message cannot be read (a malformed duration, say).</summary>
    public static SourceConfig ToConfig(Configs.SourceConfig message) => Mapper.ToModel<SourceConfig>(message);

    /// <summary>A subtask's status for the heartbeat. A unit other than Dump, Load or Sync goes as InvalidUnit.</summary>
    public static Statuses.SubtaskStatus ToMessage(SubTaskStatus status) => Mapper.ToMessage<Statuses.SubtaskStatus>(status);

    /// <summary>The OpenAPI's status of a subtask a worker reported; throws on a stage left unspecified.</summary>
    public static SubTaskStatus ToApi(Statuses.SubtaskStatus message) => Mapper.ToModel<SubTaskStatus>(message);

    /// <summary>A relay log's status for the heartbeat.</summary>
    public static Statuses.RelayStatus ToMessage(RelayStatus status) => Mapper.ToMessage<Statuses.RelayStatus>(status);

    /// <summary>The OpenAPI's status of a relay log a worker reported.</summary>
    public static RelayStatus ToApi(Statuses.RelayStatus message) => Mapper.ToModel<RelayStatus>(message);

    public static Stage ToMessage(TaskStage stage) => (Stage)MessageMapper.ToEnum(stage, typeof(Stage));

    /// <summary>The API's stage; throws <see cref="InvalidDataException"/> on <see cref="Stage.Unspecified"/>.</summary>
    public static TaskStage ToApi(Stage stage) => (TaskStage)MessageMapper.ToEnum(stage, typeof(TaskStage));

    private static Statuses.Unit UnitToMessage(string unit) => unit switch
    {
        "Dump" => Statuses.Unit.Dump,
        "Load" => Statuses.Unit.Load,
        "Sync" => Statuses.Unit.Sync,
        _ => Statuses.Unit.Invalid,
    };

    private static string UnitToApi(Statuses.Unit unit) => unit == Statuses.Unit.Invalid ? InvalidUnit : unit.ToString();

    public static EventPosition ToMessage(BinlogPosition position) => new() { File = position.FileName, Offset = position.Position };

    /// <summary>The position a message names; null when it is unset (the event the unit stopped on).</summary>
    public static BinlogPosition? ToPosition(EventPosition? message) =>
        message is null ? null : new BinlogPosition(message.File, message.Offset);
}
