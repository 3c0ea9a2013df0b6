using Dm.Core.Errors;

namespace Dm.Core.Tests.Errors;

public class DmErrorsTests
{
    [Fact]
    public void Catalogue_holds_the_codes_the_master_uses()
    {
        Assert.Equal(46007, DmErrors.ErrSchedulerSourceCfgExist.Code);
        Assert.Equal(46008, DmErrors.ErrSchedulerSourceCfgNotExist.Code);
        Assert.Equal(46018, DmErrors.ErrSchedulerTaskNotExist.Code);
        Assert.Equal(46005, DmErrors.ErrSchedulerWorkerOnline.Code);
        Assert.Equal(46004, DmErrors.ErrSchedulerWorkerNotExist.Code);
        Assert.Equal(40070, DmErrors.ErrWorkerNoStart.Code);
        Assert.Equal(49001, DmErrors.ErrOpenAPICommonError.Code);
        Assert.Equal(20022, DmErrors.ErrConfigMetadataNotSet.Code);
        Assert.Equal(26005, DmErrors.ErrTaskCheckSyncConfigError.Code);
        Assert.Equal(38058, DmErrors.ErrMasterStartTask.Code);
        Assert.Equal(46006, DmErrors.ErrSchedulerWorkerInvalidTrans.Code);
        Assert.Equal(593, DmErrors.All.Count);
        Assert.Equal(35, DmErrors.Scheduler.Count());
        Assert.Same(DmErrors.ErrSchedulerSubTaskCfgUpdate, DmErrors.ByCode(46035));
        Assert.Null(DmErrors.ByCode(1));
    }

    [Fact]
    public void Terror_string_has_tag_message_and_workaround()
    {
        var ex = DmErrors.ErrSchedulerWorkerOnline.New("worker-1");
        Assert.Equal(
            "[code=46005:class=scheduler:scope=internal:level=medium], Message: dm-worker with name worker-1 is still online, Workaround: Please shut it down first.",
            ex.ToErrorMessage());
        Assert.Equal(46005, ex.Code);
        Assert.Equal("scheduler", ex.Class);
        Assert.Equal("medium", ex.Level);
    }

    [Fact]
    public void Raw_cause_sits_between_message_and_workaround()
    {
        var ex = DmErrors.ErrSchedulerSourceCfgNotExist.Wrap(new InvalidOperationException("boom"), "mysql-01");
        Assert.Equal(
            "[code=46008:class=scheduler:scope=internal:level=medium], Message: source config with ID mysql-01 not exists, RawCause: boom",
            ex.ToErrorMessage());
        Assert.IsType<InvalidOperationException>(ex.InnerException);
    }

    [Fact]
    public void Go_verbs_render_like_go()
    {
        var ex = DmErrors.ErrSchedulerSourcesUnbound.New(new List<string> { "s1", "s2" });
        Assert.Contains("sources [s1 s2] have not bound", ex.Message);
        Assert.Equal("a %!s(MISSING) 5% %!d(MISSING)", GoFormat.Apply("a %s 5%% %d", []));
        Assert.Equal("x <nil> true 12", GoFormat.Apply("x %v %v %+v", [null, true, 12]));
        var check = DmErrors.ErrTaskCheckSyncConfigError.New("fail", "no errors but some warnings", "{}");
        Assert.Equal("[code=26005:class=task-check:scope=internal:level=medium], Message: fail: no errors but some warnings\n detail: {}", check.Message);
    }

    [Fact]
    public void Error_with_only_a_workaround_has_no_message_part()
    {
        Assert.Equal(
            "[code=11017:class=functional:scope=internal:level=low], Workaround: Please make sure the args are correct.",
            DmErrors.ErrVerifySQLOperateArgs.New().ToErrorMessage());
    }
}
